import type { RoutedEvent, WorkflowGraph } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';
import type { createEffectExecutor } from '../effects/effectExecutor';
import { createStopRequestStore } from '../executions/stopRequests';
import { createWorkflowStore } from '../workflows/workflowStore';
import type { ApplyEffectsInput, RoutingActivities } from './routingActivities';

export interface RoutingActivityDeps {
  db: AppDatabase;
  applyEffects: ReturnType<typeof createEffectExecutor>;
  /** How long `holdSignals` waits for the dispatcher's acknowledgement at most (default 2 s). */
  holdAcknowledgementWaitMs?: number;
}

/**
 * The dispatcher acknowledges a hold between two drains: at the end of the drain in progress, or
 * within 5 ms while it pauses (lingers or idles). A dispatcher that does not answer (retrying an
 * unreachable Temporal, or stopping) is not signalling either; the hold then goes ahead
 * unacknowledged after this.
 */
const HOLD_ACKNOWLEDGEMENT_WAIT_MS = 2000;
const HOLD_ACKNOWLEDGEMENT_POLL_MS = 5;

export function createRoutingActivities(deps: RoutingActivityDeps): RoutingActivities {
  const sqlite = deps.db.$client;
  const workflows = createWorkflowStore(deps.db);
  const stopRequests = createStopRequestStore(deps.db);
  const graphById = sqlite.prepare<[string], { graph: string }>(
    `SELECT graph FROM workflow_versions WHERE id = ?`,
  );
  const insertStep = sqlite.prepare(
    `INSERT INTO execution_steps (key, execution_id, node_id, node_type, status, output, error, cause, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
  );
  // The version changes when the execution moves to a newer one at a safe point.
  const upsertExecution = sqlite.prepare(
    `INSERT INTO executions (id, conversation_id, workflow_version_id, status, started_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
       workflow_version_id = excluded.workflow_version_id
     WHERE excluded.updated_at >= executions.updated_at`,
  );
  // Runs inside the effect batch's transaction (`applyEffects`' `before`): no savepoint of its own.
  const recordProgress = (input: ApplyEffectsInput) => {
    for (const r of input.records) {
      insertStep.run(r.key, r.executionId, r.nodeId, r.nodeType, r.status, r.output, r.error, r.cause, r.at);
    }
    for (const e of input.executions) {
      upsertExecution.run(
        e.executionId,
        e.conversationId,
        e.workflowVersionId,
        e.status,
        e.startedAt,
        e.updatedAt,
      );
      if (e.status !== 'running' && e.status !== 'waiting') stopRequests.settled(e.executionId);
    }
  };

  const saveCheckpoint = sqlite.prepare(
    `INSERT INTO shard_checkpoints (run_id, page, content, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (run_id, page) DO UPDATE SET content = excluded.content`,
  );
  const loadCheckpoint = sqlite
    .prepare<[string, number], string>(`SELECT content FROM shard_checkpoints WHERE run_id = ? AND page = ?`)
    .pluck();
  const holdShard = sqlite.prepare(
    `INSERT INTO shard_holds (shard, run_id, until) VALUES (?, ?, ?)
     ON CONFLICT (shard) DO UPDATE SET run_id = excluded.run_id, until = excluded.until,
       acknowledged_at = NULL`,
  );
  const holdAcknowledged = sqlite
    .prepare<[number, string], number | null>(
      `SELECT acknowledged_at FROM shard_holds WHERE shard = ? AND run_id = ?`,
    )
    .pluck();
  const releaseShard = sqlite.prepare(`DELETE FROM shard_holds WHERE shard = ? AND run_id = ?`);
  // A checkpoint is read once, by the run that follows; a week later it is only clutter.
  const forgetOldCheckpoints = sqlite.prepare(`DELETE FROM shard_checkpoints WHERE created_at < ?`);

  const eventsAfter = sqlite.prepare<[number, number, number], { seq: number; payload: string }>(
    `SELECT seq, payload FROM outbox WHERE shard = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );

  const storeCheckpointPage = sqlite.transaction((runId: string, page: number, text: string, now: number) => {
    if (page === 0) forgetOldCheckpoints.run(now - 7 * 24 * 3_600_000);
    saveCheckpoint.run(runId, page, text, now);
  });

  // The writes of a continue-as-new wait for the lock with the event loop free (writeWhenFree): in
  // SQLite's busy handler (up to 43 ms a statement in a steady2000 run) they stalled every shard's
  // activities in this process, and the shard's signals were held meanwhile.
  return {
    async saveCheckpointPage({ runId, page, content }) {
      const text = JSON.stringify(content);
      const now = Date.now();
      await writeWhenFree(sqlite, () => storeCheckpointPage.immediate(runId, page, text, now));
    },

    async loadCheckpointPage({ runId, page }) {
      const content = loadCheckpoint.get(runId, page);
      // Missing means the checkpoint was lost (a restored backup): retrying cannot bring it back.
      if (content === undefined) throw new Error(`shard checkpoint ${runId} page ${page} is missing`);
      return JSON.parse(content);
    },

    async loadEventsAfter({ shard, afterSeq, limit }) {
      // The same event the dispatcher signals: the stored payload completed by its sequence.
      return eventsAfter
        .all(shard, afterSeq, limit)
        .map((row) => ({ ...JSON.parse(row.payload), seq: row.seq }) as RoutedEvent);
    },

    async loadSafePointMoves() {
      return workflows.safePointMoves();
    },

    async loadStopRequests({ shard }) {
      // It forgets the requests of finished executions first: a write.
      return writeWhenFree(sqlite, () => stopRequests.pendingFor(shard));
    },

    async holdSignals({ shard, runId, forMs }) {
      if (forMs <= 0) {
        await writeWhenFree(sqlite, () => releaseShard.run(shard, runId));
        return;
      }
      await writeWhenFree(sqlite, () => holdShard.run(shard, runId, Date.now() + forMs));
      // Returning once no signal is on its way makes the continue-as-new that follows safe from
      // the one refusal the hold alone left possible (see OutboxDispatcher.acknowledgeHolds).
      const giveUpAt = Date.now() + (deps.holdAcknowledgementWaitMs ?? HOLD_ACKNOWLEDGEMENT_WAIT_MS);
      // null: not acknowledged yet; undefined: the row is gone (lifted), nothing to wait for.
      while (holdAcknowledged.get(shard, runId) === null && Date.now() < giveUpAt)
        await new Promise((resolve) => setTimeout(resolve, HOLD_ACKNOWLEDGEMENT_POLL_MS));
    },

    async loadGraphs(versionIds) {
      const graphs: Record<string, WorkflowGraph> = {};
      for (const id of versionIds) {
        const row = graphById.get(id);
        if (row) graphs[id] = JSON.parse(row.graph);
      }
      return graphs;
    },

    async applyEffects(input) {
      return deps.applyEffects(input.effects, Date.now(), () => recordProgress(input));
    },
  };
}
