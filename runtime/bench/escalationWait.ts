import type Database from 'better-sqlite3';
import type { AcknowledgingAgents } from './acknowledgingAgents';
import { pollUntil } from './pacing';

/** Past the last deadline: every timer has had this long to fire. */
const GRACE_MS = 60_000;
/** Past the grace, no new assignment, acknowledgement or finished execution for this long: stuck. */
const STALL_MS = 2 * 60_000;

export interface WaitResult {
  outcome: string;
  at: number;
  /** What was still missing when the wait ended. */
  missing: string;
}

/**
 * Until every escalation has happened and every execution has finished. Once every deadline is a
 * minute past, also until nothing is left in flight, or nothing has moved for STALL_MS (a stuck
 * shard): a lost conversation or a stuck shard is reported without waiting out the whole budget.
 */
export async function waitForEscalations(
  sqlite: Database.Database,
  agents: AcknowledgingAgents,
  customers: number,
  expected: readonly string[],
  timeoutMs: number,
  budgetMs: number,
): Promise<WaitResult> {
  const count = (sql: string) => sqlite.prepare<[], number>(sql).pluck();
  const executions = count(`SELECT count(*) FROM executions`);
  const unfinished = count(`SELECT count(*) FROM executions WHERE status IN ('running', 'waiting')`);
  const outboxPending = count(`SELECT count(*) FROM outbox WHERE dispatched_at IS NULL`);
  const assignments = count(`SELECT count(*) FROM assignments`);
  const idle = () => agents.idle && outboxPending.get() === 0 && unfinished.get() === 0;
  let outcome: WaitResult['outcome'] = 'wait budget exhausted';
  let lastMark = '';
  let lastMoved = Date.now();
  await pollUntil(
    () => {
      // Cheapest first: the SQL counts run only once the escalations are all in.
      if (
        agents.assigned.size >= customers &&
        expected.every((waId) => agents.escalated.has(waId)) &&
        (executions.get() ?? 0) >= customers &&
        idle()
      ) {
        outcome = 'complete';
        return true;
      }
      if (Date.now() < (agents.lastFirstAssignmentAt ?? Date.now()) + timeoutMs + GRACE_MS) return false;
      if (idle()) {
        outcome = 'nothing left in flight';
        return true;
      }
      const mark = `${assignments.get()} ${unfinished.get()} ${agents.acknowledged}`;
      if (mark !== lastMark) {
        lastMark = mark;
        lastMoved = Date.now();
      }
      if (Date.now() - lastMoved < STALL_MS) return false;
      outcome = `nothing moved for ${STALL_MS / 60_000} min`;
      return true;
    },
    budgetMs,
    1000,
  );
  return {
    outcome,
    at: Date.now(),
    missing: `first assignments ${agents.assigned.size}/${customers}, lead ${agents.escalated.size}/${expected.length}, executions running or waiting ${unfinished.get()}, outbox pending ${outboxPending.get()}`,
  };
}
