import { shardOf } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';

/** Newest outbox rows looked at: every one of them was stored with the shard of its conversation. */
const SAMPLE = 200;
const LARGEST_SHARD_COUNT = 1024;

/**
 * Refuses a SHARD_COUNT other than the one the data directory's conversations were routed with. A
 * conversation's shard is its hash modulo the count: with another count, its next event would go to
 * a shard that does not hold its execution, which would start a second one (assigned again) while
 * the first one's timers still fire in the old shard. The outbox keeps each event's shard, so the
 * newest rows tell the count in use (an empty outbox: nothing was routed yet, any count is fine).
 */
export function assertShardCountMatches(db: AppDatabase, shardCount: number): void {
  const rows = db.$client
    .prepare<[number], { conversationId: string; shard: number }>(
      `SELECT conversation_id AS conversationId, shard FROM outbox ORDER BY seq DESC LIMIT ?`,
    )
    .all(SAMPLE);
  const mismatch = rows.find((row) => shardOf(row.conversationId, shardCount) !== row.shard);
  if (!mismatch) return;
  const inUse = shardCountOf(rows);
  throw new Error(
    `SHARD_COUNT is ${shardCount}, but the conversations in this data directory were routed with ` +
      `${inUse === null ? 'another shard count' : `SHARD_COUNT=${inUse}`} (conversation ${mismatch.conversationId} ` +
      `is in shard ${mismatch.shard}). The count is fixed for a deployment's lifetime: set it back` +
      `${inUse === null ? '' : ` to ${inUse}`}.`,
  );
}

/** The one count every sampled row agrees with; null when none or several do (a handful of rows). */
function shardCountOf(rows: { conversationId: string; shard: number }[]): number | null {
  let found: number | null = null;
  for (let count = 1; count <= LARGEST_SHARD_COUNT; count++) {
    if (!rows.every((row) => shardOf(row.conversationId, count) === row.shard)) continue;
    if (found !== null) return null;
    found = count;
  }
  return found;
}
