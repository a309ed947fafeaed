import type Database from 'better-sqlite3';
import { round, summarizeLatencies } from './percentiles';

/** What the benchmark asked for: which customers wrote in and which of them nobody acknowledged. */
export interface EscalationPlan {
  customers: readonly string[];
  escalates: (waId: string) => boolean;
  timeoutMs: number;
  leadAgentId: string;
}

export interface Violation {
  check: string;
  count: number;
  /** A few customer wa_ids (or details) to start looking from. */
  examples: string[];
}

interface ConversationRow {
  id: string;
  waId: string;
  /** `node:agent` of each assignment, oldest first, space-separated. */
  assignments: string | null;
  notes: number;
  executions: number;
  completed: number;
  timeouts: number;
  acknowledgedAt: number | null;
}

const EXAMPLES = 5;

/**
 * Reads the outcome of an escalation run back from SQLite, conversation by conversation, and
 * lists every way it differs from the plan: acknowledged conversations keep their one assignment,
 * the others get exactly one more, from the timer, to the team lead, with exactly one note.
 */
export function auditEscalations(sqlite: Database.Database, plan: EscalationPlan) {
  const rows = sqlite
    .prepare<[], ConversationRow>(
      `SELECT c.id, c.customer_wa_id AS waId,
         (SELECT group_concat(a.node_id || ':' || coalesce(a.agent_id, '-'), ' ' ORDER BY a.created_at, a.rowid)
            FROM assignments a WHERE a.conversation_id = c.id) AS assignments,
         (SELECT count(*) FROM notes n WHERE n.conversation_id = c.id) AS notes,
         (SELECT count(*) FROM executions e WHERE e.conversation_id = c.id) AS executions,
         (SELECT count(*) FROM executions e WHERE e.conversation_id = c.id AND e.status = 'completed') AS completed,
         (SELECT count(*) FROM executions e JOIN execution_steps s ON s.execution_id = e.id
           WHERE e.conversation_id = c.id AND s.node_id = 'wait_ack' AND s.output = 'timeout') AS timeouts,
         c.acknowledged_at AS acknowledgedAt
       FROM conversations c`,
    )
    .all();
  const byCustomer = new Map(rows.map((row) => [row.waId, row]));
  const violations = new ViolationList();

  violations.check(
    'conversation missing for a posted customer',
    plan.customers.filter((waId) => !byCustomer.has(waId)),
  );
  const acknowledged = rows.filter((row) => !plan.escalates(row.waId));
  const escalated = rows.filter((row) => plan.escalates(row.waId));
  const toLead = (row: ConversationRow) => {
    const [first, second, ...more] = assignmentsOf(row);
    return first?.node === 'assign' && first.agent !== null && second?.node === 'lead' && more.length === 0
      ? second.agent === plan.leadAgentId
      : false;
  };
  violations.check(
    'acknowledged conversation without exactly one assignment',
    acknowledged.filter((row) => {
      const [first, ...more] = assignmentsOf(row);
      return first?.node !== 'assign' || first.agent === null || more.length > 0;
    }),
    (row) => `${row.waId}: ${row.assignments}`,
  );
  violations.check(
    `escalated conversation without exactly [assign, lead → ${plan.leadAgentId}]`,
    escalated.filter((row) => !toLead(row)),
    (row) => `${row.waId}: ${row.assignments}`,
  );
  violations.check(
    'acknowledged conversation not acknowledged',
    acknowledged.filter((row) => row.acknowledgedAt === null),
  );
  violations.check(
    'acknowledged conversation whose timer fired',
    acknowledged.filter((row) => row.timeouts > 0),
  );
  violations.check(
    'escalated conversation whose timer did not fire exactly once',
    escalated.filter((row) => row.timeouts !== 1),
    (row) => `${row.waId}: ${row.timeouts}`,
  );
  violations.check(
    'lead assigned with no wait_ack timeout step recorded',
    rows.filter((row) => row.timeouts === 0 && assignmentsOf(row).some((a) => a.node === 'lead')),
  );
  violations.check(
    'escalated conversation without exactly one note',
    escalated.filter((row) => row.notes !== 1),
    (row) => `${row.waId}: ${row.notes}`,
  );
  violations.check(
    'acknowledged conversation with a note',
    acknowledged.filter((row) => row.notes > 0),
  );
  const outboxOf = sqlite.prepare<
    [string],
    { seq: number; shard: number; type: string; dispatchedMs: number | null }
  >(
    `SELECT seq, shard, payload ->> '$.type' AS type, dispatched_at - created_at AS dispatchedMs
       FROM outbox WHERE conversation_id = ? ORDER BY seq`,
  );
  violations.check(
    'conversation without exactly one execution, completed',
    rows.filter((row) => row.executions !== 1 || row.completed !== 1),
    // Where its events went: a lost one was stored and dispatched, yet never routed.
    (row) =>
      `${row.waId}: ${row.completed}/${row.executions} completed; outbox ` +
      outboxOf
        .all(row.id)
        .map(
          (event) =>
            `#${event.seq} ${event.type} shard ${event.shard} dispatched after ${event.dispatchedMs} ms`,
        )
        .join(', '),
  );

  const deadlines = deadlineFacts(sqlite, plan.timeoutMs);
  const sum = (list: ConversationRow[], pick: (row: ConversationRow) => number) =>
    list.reduce((total, row) => total + pick(row), 0);
  const executionsByStatus = Object.fromEntries(
    sqlite
      .prepare<[], { status: string; n: number }>(
        `SELECT status, count(*) AS n FROM executions GROUP BY status ORDER BY status`,
      )
      .all()
      .map(({ status, n }) => [status, n]),
  );
  const summary = {
    conversations: { posted: plan.customers.length, stored: rows.length },
    acknowledged: {
      conversations: acknowledged.length,
      acknowledged: acknowledged.filter((row) => row.acknowledgedAt !== null).length,
      assignments: countBy(acknowledged.map((row) => assignmentsOf(row).length)),
      assignmentToAcknowledgementMs: summarizeLatencies(deadlines.ackDelays),
      /** Acknowledged after their deadline had passed: the benchmark, not the runtime, was too slow. */
      acknowledgedAfterDeadline: deadlines.ackSlacks.filter((slack) => slack <= 0).length,
      leastSlackBeforeDeadlineMs: smallest(deadlines.ackSlacks),
    },
    escalated: {
      conversations: escalated.length,
      assignments: countBy(escalated.map((row) => assignmentsOf(row).length)),
      secondToLead: escalated.filter(toLead).length,
      timersFired: sum(escalated, (row) => row.timeouts),
      notes: sum(escalated, (row) => row.notes),
      deadlineToLeadAssignmentMs: {
        min: smallest(deadlines.lateness),
        ...summarizeLatencies(deadlines.lateness),
      },
    },
    timersFiredTotal: sum(rows, (row) => row.timeouts),
    notesTotal: sum(rows, (row) => row.notes),
    conversationsWithDuplicateNotes: rows.filter((row) => row.notes > 1).length,
    executionsByStatus,
    checkpointPages: sqlite.prepare<[], number>(`SELECT count(*) FROM shard_checkpoints`).pluck().get() ?? 0,
    firstDeadlineAt: deadlines.first,
    lastDeadlineAt: deadlines.last,
    firstAssignments: sqlite
      .prepare<[], { first: number | null; last: number | null }>(
        `SELECT min(created_at) AS first, max(created_at) AS last FROM assignments WHERE node_id = 'assign'`,
      )
      .get(),
  };
  violations.check(
    'timers fired ≠ escalated conversations',
    summary.timersFiredTotal === escalated.length
      ? []
      : [`${summary.timersFiredTotal} ≠ ${escalated.length}`],
    String,
  );
  violations.check(
    'lead assigned before the deadline',
    deadlines.early,
    (early) =>
      `${early.waId}: wait_ack waiting at ${early.waitAt} (workflow time), deadline ${early.waitAt + plan.timeoutMs}, ` +
      `timeout step at ${early.firedAt} (workflow time), lead assignment row at ${early.leadAt} (${early.leadAt - early.waitAt - plan.timeoutMs} ms)`,
  );
  return { summary, violations: violations.list };
}

/** Deadlines as the interpreter set them: when `wait_ack` started waiting, plus the timeout. */
function deadlineFacts(sqlite: Database.Database, timeoutMs: number) {
  const waits = `execution_steps w ON w.execution_id = a.execution_id AND w.node_id = 'wait_ack' AND w.status = 'waiting'`;
  const leads = sqlite
    .prepare<[], { waId: string; waitAt: number; firedAt: number | null; leadAt: number }>(
      `SELECT c.customer_wa_id AS waId, w.at AS waitAt, a.created_at AS leadAt,
              (SELECT f.at FROM execution_steps f WHERE f.execution_id = a.execution_id
                  AND f.node_id = 'wait_ack' AND f.output = 'timeout') AS firedAt
         FROM assignments a JOIN conversations c ON c.id = a.conversation_id JOIN ${waits}
        WHERE a.node_id = 'lead'`,
    )
    .all();
  const lateness = leads.map((lead) => lead.leadAt - (lead.waitAt + timeoutMs));
  const acknowledgements = sqlite
    .prepare<[number], { delay: number; slack: number }>(
      `SELECT c.acknowledged_at - a.created_at AS delay, (w.at + ?) - c.acknowledged_at AS slack
         FROM conversations c JOIN assignments a ON a.conversation_id = c.id AND a.node_id = 'assign'
         JOIN ${waits} WHERE c.acknowledged_at IS NOT NULL`,
    )
    .all(timeoutMs);
  const span = sqlite
    .prepare<[number, number], { first: number | null; last: number | null }>(
      `SELECT min(at) + ? AS first, max(at) + ? AS last FROM execution_steps
        WHERE node_id = 'wait_ack' AND status = 'waiting'`,
    )
    .get(timeoutMs, timeoutMs);
  return {
    lateness,
    early: leads.filter((lead) => lead.leadAt < lead.waitAt + timeoutMs),
    ackDelays: acknowledgements.map((row) => row.delay),
    ackSlacks: acknowledgements.map((row) => row.slack),
    first: span?.first ?? null,
    last: span?.last ?? null,
  };
}

function assignmentsOf(row: ConversationRow): Array<{ node: string; agent: string | null }> {
  if (!row.assignments) return [];
  return row.assignments.split(' ').map((pair) => {
    const [node = '', agent = '-'] = pair.split(':');
    return { node, agent: agent === '-' ? null : agent };
  });
}

/** Math.min without spreading 100,000 arguments onto the stack. */
function smallest(values: readonly number[]): number | null {
  return values.length === 0
    ? null
    : round(
        values.reduce((a, b) => Math.min(a, b)),
        1,
      );
}

/** `{ "1": 66667, "2": 3 }`: how many conversations had each count. */
function countBy(values: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

class ViolationList {
  readonly list: Violation[] = [];

  check<T>(check: string, offenders: T[], describe: (offender: T) => string = describeCustomer): void {
    if (offenders.length === 0) return;
    this.list.push({ check, count: offenders.length, examples: offenders.slice(0, EXAMPLES).map(describe) });
  }
}

function describeCustomer(offender: unknown): string {
  return typeof offender === 'object' && offender !== null && 'waId' in offender
    ? String(offender.waId)
    : String(offender);
}
