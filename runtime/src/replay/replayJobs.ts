import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ConversationComparison, ReplayRun, ReplayStatus, ShadowTotals } from '@switchboard/shared';
import type { Logger } from 'pino';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';
import { createRecordedHistory } from './recordedHistory';

import { createShadowReplay, type ShadowReplayRequest } from './shadowReplay';

interface RunRow {
  id: string;
  workflow_id: string;
  target_version_id: string | null;
  from_time: number;
  to_time: number;
  status: ReplayStatus;
  total_events: number;
  processed_events: number;
  totals: string | null;
  error: string | null;
  created_at: number;
  finished_at: number | null;
}

/**
 * Events replayed between two progress updates and chances for the server to answer requests: the
 * replay runs in the runtime's event loop, and a slice holds webhooks and sockets while it runs. On
 * the 2-core machine a slice of 2,000 took 513 ms (median), one of 250 took 65 ms.
 */
const EVENTS_PER_SLICE = 250;

/**
 * Shadow replays as background jobs in the runtime process: progress is written to `replay_runs`
 * after every slice, a cancel is noticed between slices, and the per-conversation results are
 * stored in one transaction at the end. A run left `running` by a stopped process is marked failed.
 */
export function createReplayJobs(db: AppDatabase, log: Logger, options: { eventsPerSlice?: number } = {}) {
  const eventsPerSlice = options.eventsPerSlice ?? EVENTS_PER_SLICE;
  const sqlite = db.$client;
  const history = createRecordedHistory(db);
  const cancelRequested = new Set<string>();
  const running = new Map<string, Promise<void>>();

  const insertRun = sqlite.prepare(
    `INSERT INTO replay_runs (id, workflow_id, target_version_id, target_graph, from_time, to_time, status, total_events, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
  );
  const progress = sqlite.prepare(`UPDATE replay_runs SET processed_events = ? WHERE id = ?`);
  const finish = sqlite.prepare(
    `UPDATE replay_runs SET status = ?, processed_events = ?, totals = ?, error = ?, finished_at = ? WHERE id = ?`,
  );
  const insertConversation = sqlite.prepare(
    `INSERT INTO replay_conversations (run_id, conversation_id, changed, result) VALUES (?, ?, ?, ?)`,
  );
  const byId = sqlite.prepare<[string], RunRow>(`SELECT * FROM replay_runs WHERE id = ?`);
  const listRuns = sqlite.prepare<[string, number], RunRow>(
    `SELECT * FROM replay_runs WHERE workflow_id = ? ORDER BY created_at DESC, id LIMIT ?`,
  );
  const conversationRows = sqlite.prepare<
    [{ runId: string; changedOnly: number; limit: number; offset: number }],
    { result: string }
  >(
    `SELECT result FROM replay_conversations WHERE run_id = @runId AND (@changedOnly = 0 OR changed = 1)
      ORDER BY conversation_id LIMIT @limit OFFSET @offset`,
  );
  const interrupted = sqlite.prepare(
    `UPDATE replay_runs SET status = 'failed', error = 'interrupted: the runtime stopped during the run', finished_at = ?
      WHERE status IN ('queued', 'running')`,
  );
  interrupted.run(Date.now());

  // Every write waits for the lock with the event loop free (see writeWhenFree): the router worker
  // commits often, and a replay's progress is no reason to stall the runtime's webhooks.
  const write = <T>(work: () => T) => writeWhenFree(sqlite, work);
  const storeResults = sqlite.transaction(
    (runId: string, conversations: ConversationComparison[], totals: ShadowTotals, processed: number) => {
      for (const row of conversations)
        insertConversation.run(
          runId,
          row.conversationId,
          row.differences.length > 0 ? 1 : 0,
          JSON.stringify(row),
        );
      finish.run('completed', processed, JSON.stringify(totals), null, Date.now(), runId);
    },
  );

  async function execute(runId: string, request: ShadowReplayRequest): Promise<void> {
    const replay = createShadowReplay(history, request);
    try {
      for (;;) {
        if (cancelRequested.has(runId)) {
          await write(() => finish.run('cancelled', replay.processed, null, null, Date.now(), runId));
          return;
        }
        const done = replay.advance(eventsPerSlice);
        await write(() => progress.run(replay.processed, runId));
        if (done) break;
        await yieldToEventLoop();
      }
      const { conversations, totals } = replay.result();
      await write(() => storeResults.immediate(runId, conversations, totals, replay.processed));
    } catch (error) {
      log.error({ err: error, replayRunId: runId }, 'shadow replay failed');
      await write(() => finish.run('failed', replay.processed, null, String(error), Date.now(), runId));
    }
  }

  return {
    /** Starts a run in the background and returns it as first stored. */
    async start(request: ShadowReplayRequest): Promise<ReplayRun> {
      const id = randomUUID();
      await write(() =>
        insertRun.run(
          id,
          request.workflowId,
          request.target.versionId,
          JSON.stringify(request.target.graph),
          request.from,
          request.to,
          history.countEvents(request.from, request.to),
          Date.now(),
        ),
      );
      const job = execute(id, request).finally(() => {
        running.delete(id);
        cancelRequested.delete(id);
      });
      running.set(id, job);
      return this.get(id) as ReplayRun;
    },
    get(id: string): ReplayRun | null {
      const row = byId.get(id);
      return row ? toRun(row) : null;
    },
    list: (workflowId: string, limit = 20): ReplayRun[] => listRuns.all(workflowId, limit).map(toRun),
    conversations(runId: string, options: { changedOnly: boolean; limit: number; offset: number }) {
      return conversationRows
        .all({
          runId,
          changedOnly: options.changedOnly ? 1 : 0,
          limit: options.limit,
          offset: options.offset,
        })
        .map((row) => JSON.parse(row.result) as ConversationComparison);
    },
    /** True when the run was going and will stop at its next slice. */
    cancel(id: string): boolean {
      if (!running.has(id)) return false;
      cancelRequested.add(id);
      return true;
    },
    /** Resolves when the run has finished, however it ended (tests, shutdown). */
    settled: (id: string): Promise<void> => running.get(id) ?? Promise.resolve(),
    async stop(): Promise<void> {
      for (const id of running.keys()) cancelRequested.add(id);
      await Promise.all(running.values());
    },
  };
}

export type ReplayJobs = ReturnType<typeof createReplayJobs>;

function toRun(row: RunRow): ReplayRun {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    targetVersionId: row.target_version_id,
    from: row.from_time,
    to: row.to_time,
    status: row.status,
    totalEvents: row.total_events,
    processedEvents: row.processed_events,
    totals: row.totals ? JSON.parse(row.totals) : null,
    error: row.error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
