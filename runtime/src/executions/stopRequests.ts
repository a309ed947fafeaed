import type { AppDatabase } from '../db/database';
import type { StopExecutionRequest } from '../routing/routerWorkflow';

interface StopRequestRow {
  execution_id: string;
  conversation_id: string;
  mode: StopExecutionRequest['mode'];
  requested_by: string | null;
}

/**
 * Cancel and terminate requests, recorded before the shard is signalled and kept until it has
 * applied them: a shard run that starts from a checkpoint reads its shard's requests, so one whose
 * signal reached only the previous run (refused continue-as-new) is still applied.
 */
export function createStopRequestStore(db: AppDatabase) {
  const sqlite = db.$client;
  // A terminate after a pending cancel replaces it: the stronger request is the one the admin meant last.
  const record = sqlite.prepare(
    `INSERT INTO execution_stop_requests (execution_id, conversation_id, shard, mode, requested_by, requested_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (execution_id) DO UPDATE SET mode = excluded.mode, requested_by = excluded.requested_by,
       requested_at = excluded.requested_at`,
  );
  // Completed, failed and cancelled are written by the shard alone: such an execution has nothing
  // left to stop (it finished before the request was recorded). `terminated` is also written by the
  // API at once, so only the shard's own write of it (see `settled`) ends a terminate request.
  // Each request's execution is looked up by its key (an IN list of finished executions scanned
  // the whole table once there was a request to check).
  const forgetFinished = sqlite.prepare(
    `DELETE FROM execution_stop_requests WHERE shard = ? AND EXISTS
       (SELECT 1 FROM executions e WHERE e.id = execution_stop_requests.execution_id
           AND e.status IN ('completed', 'failed', 'cancelled'))`,
  );
  const pending = sqlite.prepare<[number], StopRequestRow>(
    `SELECT execution_id, conversation_id, mode, requested_by FROM execution_stop_requests
      WHERE shard = ? ORDER BY requested_at, execution_id`,
  );
  const settled = sqlite.prepare(`DELETE FROM execution_stop_requests WHERE execution_id = ?`);

  return {
    record(shard: number, request: StopExecutionRequest, now: number): void {
      record.run(request.executionId, request.conversationId, shard, request.mode, request.requestedBy, now);
    },

    /** The shard's requests not yet applied, oldest first. */
    pendingFor(shard: number): StopExecutionRequest[] {
      forgetFinished.run(shard);
      return pending.all(shard).map((row) => ({
        conversationId: row.conversation_id,
        executionId: row.execution_id,
        mode: row.mode,
        requestedBy: row.requested_by,
      }));
    },

    /** The shard wrote the execution's end (stopped, or finished first): no request for it is left to apply. */
    settled(executionId: string): void {
      settled.run(executionId);
    },
  };
}

export type StopRequestStore = ReturnType<typeof createStopRequestStore>;
