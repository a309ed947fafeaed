/**
 * A version published with `move_at_safe_point`, announced to every shard by the runtime. Running
 * executions of the earlier versions move onto it at their next safe point (see `moveAtSafePoint`);
 * the newest such announcement of a workflow covers all its earlier versions, so a shard keeps one
 * per workflow. Since `move-at-safe-point`.
 */
export interface SafePointMove {
  workflowId: string;
  to: { versionId: string; number: number };
  /** Every earlier version of the workflow. */
  from: { versionId: string; number: number }[];
}

/** The announced moves of a shard: per earlier version, the newest version it moves to. */
export class SafePointMoves {
  private readonly byWorkflow = new Map<string, SafePointMove>();
  private readonly byEarlierVersion = new Map<
    string,
    { from: { versionId: string; number: number }; to: SafePointMove['to'] }
  >();

  constructor(carried: SafePointMove[] = []) {
    for (const move of carried) this.announce(move);
  }

  get size(): number {
    return this.byEarlierVersion.size;
  }

  /** False when the workflow has an announcement as new already (the runtime announces again after a restart). */
  announce(move: SafePointMove): boolean {
    const known = this.byWorkflow.get(move.workflowId);
    if (known && known.to.number >= move.to.number) return false;
    this.byWorkflow.set(move.workflowId, move);
    for (const from of move.from) this.byEarlierVersion.set(from.versionId, { from, to: move.to });
    return true;
  }

  targetOf(versionId: string) {
    return this.byEarlierVersion.get(versionId);
  }

  /** For the next run's input: nothing at all while there are none, so its payload stays as it was. */
  carried(): { moves?: SafePointMove[] } {
    return this.byWorkflow.size > 0 ? { moves: [...this.byWorkflow.values()] } : {};
  }
}
