import type { SocketMessage } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';

type Listener = (message: SocketMessage) => void;

/** Where effects send live updates: the hub itself, or (from a worker process) a pipe to it. */
export interface LivePublisher {
  publish(agentId: string, message: SocketMessage): void;
}

const JOURNAL_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Fans messages out to the sockets of one person in this process. With a database, every message is
 * first written to that person's journal (`live_events`) and numbered, so a page that was offline
 * for a moment asks for what came after its last number and misses nothing.
 */
export class LiveHub implements LivePublisher {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly journal: ReturnType<typeof prepareJournal> | null;

  constructor(db?: AppDatabase) {
    this.journal = db ? prepareJournal(db) : null;
  }

  subscribe(agentId: string, listener: Listener): () => void {
    let set = this.listeners.get(agentId);
    if (!set) {
      set = new Set();
      this.listeners.set(agentId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(agentId);
    };
  }

  publish(agentId: string, message: SocketMessage): void {
    const numbered = this.journal ? this.journal.append(agentId, message, Date.now()) : message;
    for (const listener of this.listeners.get(agentId) ?? []) listener(numbered);
  }

  /** The newest number sent to this person (0: none yet). */
  lastSeq(agentId: string): number {
    return this.journal?.lastSeq(agentId) ?? 0;
  }

  /** What this person was sent after `seq`, oldest first. */
  since(agentId: string, seq: number, limit = 1000): SocketMessage[] {
    return this.journal?.since(agentId, seq, limit) ?? [];
  }

  prune(now: number): void {
    this.journal?.prune(now - JOURNAL_RETENTION_MS);
  }
}

function prepareJournal(db: AppDatabase) {
  const sqlite = db.$client;
  const insert = sqlite.prepare<[string, string, number]>(
    `INSERT INTO live_events (agent_id, message, created_at) VALUES (?, ?, ?)`,
  );
  const last = sqlite
    .prepare<[string], number | null>(`SELECT max(seq) FROM live_events WHERE agent_id = ?`)
    .pluck();
  const after = sqlite.prepare<[string, number, number], { seq: number; message: string }>(
    `SELECT seq, message FROM live_events WHERE agent_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );
  const prune = sqlite.prepare(`DELETE FROM live_events WHERE created_at < ?`);
  return {
    append(agentId: string, message: SocketMessage, now: number): SocketMessage {
      const { seq: _previous, ...content } = message as SocketMessage & { seq?: number };
      const seq = Number(insert.run(agentId, JSON.stringify(content), now).lastInsertRowid);
      return { ...content, seq } as SocketMessage;
    },
    lastSeq: (agentId: string) => last.get(agentId) ?? 0,
    since: (agentId: string, seq: number, limit: number) =>
      after
        .all(agentId, seq, limit)
        .map((row) => ({ ...JSON.parse(row.message), seq: row.seq }) as SocketMessage),
    prune: (before: number) => prune.run(before),
  };
}
