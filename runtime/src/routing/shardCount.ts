import { shardOf } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';

/** Newest outbox rows looked at: every one of them was stored with the shard of its conversation. */
const SAMPLE = 200;
const LARGEST_SHARD_COUNT = 1024;

/**
 * Shards of a data directory started without SHARD_COUNT. Every signal to a shard is a workflow
 * task of fixed cost, so fewer shards route more events per task: at 1,000 conversations/s on 2
 * cores, 4 shards took 1.46–1.51 ms of CPU per conversation and p99 1.1–1.5 s, 8 shards
 * 1.68–1.76 ms and 2.2–2.6 s (three runs each). 2 shards did better still at a steady 1,000/s but
 * half as well in a burst (a shard continuing as new holds back the others' signals meanwhile).
 */
export const NEW_DEPLOYMENT_SHARD_COUNT = 4;
/** The default before the count was stored: a directory with history but no stored count used it. */
const EARLIER_DEFAULT_SHARD_COUNT = 8;
const SHARD_COUNT_KEY = 'shard_count';

/**
 * The shard count of this data directory, stored the first time it is settled: SHARD_COUNT when
 * given, else what the directory's routed events show (directories from before the count was
 * stored), else NEW_DEPLOYMENT_SHARD_COUNT. A given SHARD_COUNT that contradicts the stored count
 * or the routed events is refused, since it would send conversations to shards that do not hold them.
 */
export function settleShardCount(db: AppDatabase, requested: number | undefined): number {
  const sqlite = db.$client;
  const stored = sqlite
    .prepare<[string], string>(`SELECT value FROM deployment_settings WHERE key = ?`)
    .pluck()
    .get(SHARD_COUNT_KEY);
  if (stored !== undefined) {
    const count = Number(stored);
    if (requested !== undefined && requested !== count) {
      throw new Error(
        `SHARD_COUNT is ${requested}, but this data directory routes with SHARD_COUNT=${count}. ` +
          `The count is fixed for a deployment's lifetime: set it back to ${count}, or leave it unset.`,
      );
    }
    return count;
  }
  const rows = newestRoutedEvents(db);
  const count =
    requested ??
    (rows.length === 0 ? NEW_DEPLOYMENT_SHARD_COUNT : (shardCountOf(rows) ?? EARLIER_DEFAULT_SHARD_COUNT));
  assertShardCountMatches(db, count);
  sqlite
    .prepare(`INSERT INTO deployment_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`)
    .run(SHARD_COUNT_KEY, String(count));
  return settleShardCount(db, requested);
}

function newestRoutedEvents(db: AppDatabase) {
  return db.$client
    .prepare<[number], { conversationId: string; shard: number }>(
      `SELECT conversation_id AS conversationId, shard FROM outbox ORDER BY seq DESC LIMIT ?`,
    )
    .all(SAMPLE);
}

/**
 * Refuses a SHARD_COUNT other than the one the data directory's conversations were routed with. A
 * conversation's shard is its hash modulo the count: with another count, its next event would go to
 * a shard that does not hold its execution, which would start a second one (assigned again) while
 * the first one's timers still fire in the old shard. The outbox keeps each event's shard, so the
 * newest rows tell the count in use (an empty outbox: nothing was routed yet, any count is fine).
 */
export function assertShardCountMatches(db: AppDatabase, shardCount: number): void {
  const rows = newestRoutedEvents(db);
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
