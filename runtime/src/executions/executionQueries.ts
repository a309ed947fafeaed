import {
  type ExecutionAssignment,
  type ExecutionStatus,
  type ExecutionStep,
  type ExecutionSummary,
  executionStatusSchema,
} from '@switchboard/shared';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';

export const EXECUTION_STATUSES = executionStatusSchema.options;

export interface ExecutionFilter {
  workflowId?: string;
  versionId?: string;
  status?: ExecutionStatus;
  conversationId?: string;
  /** Started at or after (epoch ms). */
  from?: number;
  /** Started before (epoch ms). */
  to?: number;
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

interface SummaryRow {
  id: string;
  conversation_id: string;
  workflow_id: string | null;
  workflow_version_id: string;
  number: number | null;
  status: ExecutionStatus;
  started_at: number;
  updated_at: number;
}

const SELECT_SUMMARY = `
  SELECT e.id, e.conversation_id, v.workflow_id, e.workflow_version_id, v.number, e.status, e.started_at, e.updated_at
    FROM executions e LEFT JOIN workflow_versions v ON v.id = e.workflow_version_id`;

/** Cursor = `${startedAt}:${id}` of the last row shown; pages go newest first. */
export function parseCursor(cursor: string): { startedAt: number; id: string } | null {
  const at = cursor.indexOf(':');
  const startedAt = Number(cursor.slice(0, at));
  return at > 0 && Number.isInteger(startedAt) ? { startedAt, id: cursor.slice(at + 1) } : null;
}

export function createExecutionQueries(db: AppDatabase) {
  const sqlite = db.$client;
  const byId = sqlite.prepare<[string], SummaryRow>(`${SELECT_SUMMARY} WHERE e.id = ?`);
  const steps = sqlite.prepare<[string], ExecutionStep & { output: string | null }>(
    `SELECT key, node_id AS nodeId, node_type AS nodeType, status, output, error, cause, at
       FROM execution_steps WHERE execution_id = ? ORDER BY at, rowid`,
  );
  const assignments = sqlite.prepare<
    [string],
    Omit<ExecutionAssignment, 'explanation'> & { explanation: string }
  >(
    `SELECT id, node_id AS nodeId, agent_id AS agentId, team_id AS teamId, explanation, created_at AS createdAt
       FROM assignments WHERE execution_id = ? ORDER BY created_at, rowid`,
  );
  const markTerminated = sqlite.prepare(
    `UPDATE executions SET status = 'terminated', updated_at = ? WHERE id = ? AND status IN ('running', 'waiting')`,
  );

  return {
    list(filter: ExecutionFilter): { executions: ExecutionSummary[]; nextCursor: string | null } {
      const where: string[] = [];
      const params: Record<string, string | number> = { limit: filter.limit + 1 };
      const add = (clause: string, name: string, value: string | number | undefined) => {
        if (value === undefined) return;
        where.push(clause);
        params[name] = value;
      };
      add('v.workflow_id = @workflowId', 'workflowId', filter.workflowId);
      add('e.workflow_version_id = @versionId', 'versionId', filter.versionId);
      add('e.status = @status', 'status', filter.status);
      add('e.conversation_id = @conversationId', 'conversationId', filter.conversationId);
      add('e.started_at >= @from', 'from', filter.from);
      add('e.started_at < @to', 'to', filter.to);
      const after = filter.cursor ? parseCursor(filter.cursor) : null;
      if (after) {
        where.push('(e.started_at < @cursorAt OR (e.started_at = @cursorAt AND e.id < @cursorId))');
        params.cursorAt = after.startedAt;
        params.cursorId = after.id;
      }
      const sql = `${SELECT_SUMMARY} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY e.started_at DESC, e.id DESC LIMIT @limit`;
      const rows = sqlite.prepare<[typeof params], SummaryRow>(sql).all(params);
      const page = rows.slice(0, filter.limit).map(toSummary);
      const last = page[page.length - 1];
      return {
        executions: page,
        nextCursor: rows.length > filter.limit && last ? `${last.startedAt}:${last.id}` : null,
      };
    },
    byId(id: string): ExecutionSummary | null {
      const row = byId.get(id);
      return row ? toSummary(row) : null;
    },
    steps: (id: string): ExecutionStep[] => steps.all(id),
    assignments: (id: string): ExecutionAssignment[] =>
      assignments.all(id).map((row) => ({ ...row, explanation: JSON.parse(row.explanation) })),
    /** True when the execution was still going and is now marked terminated. */
    /** Waits for the write lock with the event loop free (see writeWhenFree). */
    markTerminated: async (id: string, now: number): Promise<boolean> =>
      (await writeWhenFree(sqlite, () => markTerminated.run(now, id))).changes > 0,
  };
}

export type ExecutionQueries = ReturnType<typeof createExecutionQueries>;

function toSummary(row: SummaryRow): ExecutionSummary {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    workflowId: row.workflow_id,
    workflowVersionId: row.workflow_version_id,
    versionNumber: row.number,
    status: row.status,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
  };
}
