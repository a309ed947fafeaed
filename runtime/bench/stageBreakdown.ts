import type Database from 'better-sqlite3';
import { type LatencySummary, summarizeLatencies } from './percentiles';

/** Where the end-to-end time went, per stage, from the timestamps the runtime stores. */
export interface StageBreakdown {
  /** Send → the webhook handler took it (the outbox row's `created_at` is the receive time). */
  sendToReceived: LatencySummary;
  /**
   * Received → its signal was sent to the shard (`dispatched_at`): commit, dispatcher wake,
   * signalWithStart. The mark is skipped while the worker holds the write lock, so this is an upper bound.
   */
  receivedToDispatched: LatencySummary;
  /** Dispatched → the assign activity ran (`assignments.created_at`): workflow task, interpreter, local activity. */
  dispatchedToAssigned: LatencySummary;
  /** Assigned → read from the agent's socket: the commit, the push through the runtime, the socket. */
  assignedToPushed: LatencySummary;
}

/**
 * One conversation's way through the stages, epoch milliseconds: with BENCH_TIMELINE_DIR the
 * routing bench writes them per scenario, to see when and on which shard the tail happened.
 */
export interface ConversationTimeline {
  shard: number;
  sentAt: number;
  receivedAt: number;
  dispatchedAt: number;
  assignedAt: number;
  pushedAt: number;
}

interface StageRow {
  waId: string;
  shard: number;
  receivedAt: number;
  dispatchedAt: number | null;
  assignedAt: number;
}

/**
 * Joins each customer's outbox row and assignment. Every process reads the same wall clock, so
 * the stored epoch milliseconds line up with this process's `performance.timeOrigin + now`.
 */
export function stageBreakdown(
  sqlite: Database.Database,
  customers: readonly string[],
  postStarts: readonly number[],
  arrivals: ReadonlyMap<string, number>,
  timeline?: ConversationTimeline[],
): StageBreakdown {
  const rows = sqlite
    .prepare<[string], StageRow>(
      `SELECT c.customer_wa_id AS waId, o.created_at AS receivedAt, o.dispatched_at AS dispatchedAt, o.shard,
              min(a.created_at) AS assignedAt
         FROM conversations c
         JOIN outbox o ON o.conversation_id = c.id
         JOIN assignments a ON a.conversation_id = c.id
        WHERE c.customer_wa_id IN (SELECT value FROM json_each(?))
        GROUP BY c.id`,
    )
    .all(JSON.stringify(customers));
  const postStartOf = new Map(customers.map((waId, index) => [waId, postStarts[index] as number]));
  const stages = {
    sent: [] as number[],
    dispatched: [] as number[],
    assigned: [] as number[],
    pushed: [] as number[],
  };
  const epoch = (monotonic: number) => performance.timeOrigin + monotonic;
  for (const row of rows) {
    const postStart = postStartOf.get(row.waId);
    const arrival = arrivals.get(row.waId);
    if (postStart === undefined || arrival === undefined || row.dispatchedAt === null) continue;
    timeline?.push({
      shard: row.shard,
      sentAt: Math.round(epoch(postStart)),
      receivedAt: row.receivedAt,
      dispatchedAt: row.dispatchedAt,
      assignedAt: row.assignedAt,
      pushedAt: Math.round(epoch(arrival)),
    });
    stages.sent.push(row.receivedAt - epoch(postStart));
    stages.dispatched.push(row.dispatchedAt - row.receivedAt);
    stages.assigned.push(row.assignedAt - row.dispatchedAt);
    stages.pushed.push(epoch(arrival) - row.assignedAt);
  }
  return {
    sendToReceived: summarizeLatencies(stages.sent),
    receivedToDispatched: summarizeLatencies(stages.dispatched),
    dispatchedToAssigned: summarizeLatencies(stages.assigned),
    assignedToPushed: summarizeLatencies(stages.pushed),
  };
}
