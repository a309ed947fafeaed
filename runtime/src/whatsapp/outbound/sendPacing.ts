import type { AppDatabase } from '../../db/database';
import { writeWhenFree } from '../../db/writeLock';

export interface PacingLimits {
  /** Cloud API throughput of one business number (Meta's default is 80 messages/s). */
  messagesPerSecond: number;
  /** Sustained spacing of messages to one customer (Meta's pair rate: about one per 6 s). */
  recipientIntervalMs: number;
  /** Messages one customer may receive back to back before the spacing applies. */
  recipientBurst: number;
  /** A send that would have to wait longer is not queued: the caller is told to come back later. */
  maxWaitMs: number;
}

export type PacingDecision = { granted: true; waitMs: number } | { granted: false; retryAfterMs: number };

interface Bucket {
  key: string;
  intervalMs: number;
  burst: number;
}

/**
 * Paces sends per business number and per (number, customer) pair with the generic cell rate
 * algorithm: one stored instant per key. Kept in SQLite because two processes send (the API for
 * agent replies, the router worker for workflows) and they share one number's limit. A granted
 * reservation is a slot at `now + waitMs`; the caller sleeps until then.
 */
export function createSendPacing(db: AppDatabase, limits: PacingLimits) {
  const sqlite = db.$client;
  const read = sqlite
    .prepare<[string], number>(`SELECT theoretical_arrival_at FROM send_pacing WHERE key = ?`)
    .pluck();
  const write = sqlite.prepare(
    `INSERT INTO send_pacing (key, theoretical_arrival_at) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET theoretical_arrival_at = excluded.theoretical_arrival_at`,
  );
  // Keys in the past carry no information; without this the table grows by one row per customer.
  const forgetPast = sqlite.prepare(`DELETE FROM send_pacing WHERE theoretical_arrival_at < ?`);
  let reservations = 0;

  const reserve = sqlite.transaction((numberId: string, recipient: string, now: number): PacingDecision => {
    const buckets: Bucket[] = [
      { key: `number:${numberId}`, intervalMs: 1000 / limits.messagesPerSecond, burst: 1 },
      {
        key: `pair:${numberId}:${recipient}`,
        intervalMs: limits.recipientIntervalMs,
        burst: limits.recipientBurst,
      },
    ];
    const arrivals = buckets.map((bucket) => read.get(bucket.key) ?? now);
    let sendAt = now;
    buckets.forEach((bucket, i) => {
      const allowedAt = (arrivals[i] as number) - (bucket.burst - 1) * bucket.intervalMs;
      sendAt = Math.max(sendAt, allowedAt);
    });
    const waitMs = sendAt - now;
    if (waitMs > limits.maxWaitMs) return { granted: false, retryAfterMs: Math.ceil(waitMs) };
    buckets.forEach((bucket, i) => {
      write.run(bucket.key, Math.max(arrivals[i] as number, sendAt) + bucket.intervalMs);
    });
    if (++reservations % 1000 === 0) forgetPast.run(now - 60_000);
    return { granted: true, waitMs };
  });

  // Reads then writes: IMMEDIATE, waited for with the event loop free (see transactWhenFree).
  return (numberId: string, recipient: string, now: number): Promise<PacingDecision> =>
    writeWhenFree(sqlite, () => reserve.immediate(numberId, recipient, now));
}

export type SendPacing = ReturnType<typeof createSendPacing>;
