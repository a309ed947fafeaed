import type { RoutedEvent } from '@switchboard/shared';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { AppDatabase } from '../db/database';
import { LOCK_BUSY, writeIfFree } from '../db/writeLock';
import type { QueuedEvent, QueuedRow } from '../whatsapp/ingest';
import { type CrashPoint, crashIfAsked } from './crashPoints';
import {
  type RouterShardInput,
  routedEventsSignal,
  routerShard,
  routerWorkflowId,
  SHARD_TASK_TIMEOUT,
} from './routerWorkflow';

export interface DispatcherOptions {
  db: AppDatabase;
  client: Client;
  taskQueue: string;
  log: Logger;
  /** Rows per drain; one signal per shard carries that shard's share. */
  batchSize?: number;
  /** Poll interval when idle; `wake()` cuts it short when this process stored events. */
  idleMs?: number;
  /** Longest pause after a drain that sent events (see `lingerAfter`); 0 sends again at once. */
  maxLingerMs?: number;
  crashAt?: CrashPoint;
}

/**
 * After a drain that sent events, the dispatcher waits 1 ms per event sent, up to this, before the
 * next drain. Every signal is a history event and usually a workflow task of its shard, and a
 * task's fixed cost dwarfs routing one more event in it (measured at 100/s, one event per task:
 * 15–17 ms of CPU per conversation across the processes, against ~2 at 1,000/s). A trickle of 1–2
 * events per drain waits 1–2 ms; from about 1,000 events/s on, each drain finds at least as many
 * events as milliseconds it waited, so the linger settles at this longest one.
 * Measured with a fixed 100 ms: CPU per conversation at 100/s 16.7 → 12.9 ms, at 1,000/s 1.96 → 1.87 ms.
 * 250 rather than 100 (alternating pairs of `pnpm bench` scenarios): a burst's product CPU per
 * conversation 0.81–0.87 against 0.93–1.06 ms (four pairs), the Temporal server's share down by a
 * third, routed 1,674–1,889/s against 1,499–1,698/s; at 1,000/s p50 252–258 against 152–154 ms,
 * p99 617–634 against 489–509 ms. 500 bought little more (a burst 15% less CPU) for a p99 of 1.05 s
 * in the burst.
 */
export const MAX_LINGER_MS = 250;

export function lingerAfter(sent: number, maxLingerMs = MAX_LINGER_MS): number {
  return Math.min(sent, maxLingerMs);
}

/** How often a pausing dispatcher looks for holds to acknowledge (a read of a tiny table). */
const HOLD_POLL_MS = 5;

interface OutboxRow {
  seq: number;
  shard: number;
  payload: string;
}

/** A row to send: read from the outbox (its payload text) or handed over by webhook intake (its event). */
type SendableRow = { seq: number; shard: number } & ({ payload: string } | { event: QueuedEvent });

/** Rows handed over and not yet sent, at most: past it they are dropped and read from the outbox. */
const MAX_HANDED_OVER = 20_000;

/**
 * Drains the outbox into the router shards: groups pending rows by shard, sends each shard one
 * signalWithStart with its batch, then marks the rows dispatched. A crash in between re-sends
 * them; the shard drops sequences at or below its high-water mark, so each event is routed once.
 *
 * The mark never waits for SQLite's write lock: the router worker (another process) holds it while
 * it commits assignments, and waiting would block this event loop, webhook intake included. A busy
 * mark is retried on the next turn; meanwhile the sent rows are skipped by sequence.
 */
export class OutboxDispatcher {
  private readonly pending;
  private readonly markDispatched;
  private readonly heldShards;
  private readonly countUnacknowledgedHolds;
  private readonly acknowledgeAllHolds;
  /** Highest sequence signalled by this process; rows up to it may not be marked yet. */
  private sentThrough = 0;
  /** Signalled but not yet marked (the mark found the database busy). */
  private unmarkedThrough = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  /** Set by a wake that came while a drain was running, so its events are not left for the next poll. */
  private wokenWhileBusy = false;
  /** Committed outbox rows handed over by webhook intake, in sequence order (see `handOver`). */
  private handedOver: QueuedRow[] = [];
  /**
   * The held shards that stopped the last drain short (see `sendableRows`), null when none did:
   * while they are held, a pause ends as soon as their holds are lifted (see `pause`).
   */
  private stoppedByHolds: Set<number> | null = null;

  constructor(private readonly options: DispatcherOptions) {
    const sqlite = options.db.$client;
    this.pending = sqlite.prepare<[number, number], OutboxRow>(
      `SELECT seq, shard, payload FROM outbox WHERE dispatched_at IS NULL AND seq > ? ORDER BY seq LIMIT ?`,
    );
    // The drained rows are a prefix of the pending ones in sequence order (writers commit in
    // sequence order), so "pending up to the last one sent" is exactly them.
    this.markDispatched = sqlite.prepare(
      `UPDATE outbox SET dispatched_at = ? WHERE dispatched_at IS NULL AND seq <= ?`,
    );
    this.heldShards = sqlite
      .prepare<[number], number>(`SELECT shard FROM shard_holds WHERE until > ?`)
      .pluck();
    this.countUnacknowledgedHolds = sqlite
      .prepare<[number], number>(
        `SELECT count(*) FROM shard_holds WHERE acknowledged_at IS NULL AND until > ?`,
      )
      .pluck();
    this.acknowledgeAllHolds = sqlite.prepare<[number, number]>(
      `UPDATE shard_holds SET acknowledged_at = ? WHERE acknowledged_at IS NULL AND until > ?`,
    );
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    // Waiting for the lock is fine now; an unmarked row would only be re-sent (and dropped) later.
    if (this.unmarkedThrough > 0) this.markDispatched.run(Date.now(), this.unmarkedThrough);
  }

  /**
   * Outbox rows webhook intake has just committed, in sequence order. While they continue the
   * sequence from the last row sent, a drain sends them as they are instead of reading them back
   * (reading and parsing them again was the dispatcher's main cost at 2,000/s). Sequences are
   * given in commit order, so rows `sentThrough + 1 … n` handed over unbroken are every row up to
   * `n`; a gap (a row another writer queued) sends the drain to the outbox, which has them all.
   */
  handOver(rows: readonly QueuedRow[]): void {
    if (this.handedOver.length + rows.length > MAX_HANDED_OVER) this.handedOver = [];
    else this.handedOver.push(...rows);
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wokenWhileBusy = true;
  }

  /** Sends everything pending now; returns the number of events sent. */
  async drainOnce(): Promise<number> {
    this.markIfUnmarked();
    const limit = this.options.batchSize ?? 5000;
    const rows = this.sendableRows<SendableRow>(
      this.unbrokenHandOver(limit) ?? this.pending.all(this.sentThrough, limit),
    );
    if (rows.length === 0) {
      this.acknowledgeHolds();
      return 0;
    }
    const byShard = new Map<number, RoutedEvent[]>();
    for (const row of rows) {
      const queued = 'event' in row ? row.event : (JSON.parse(row.payload) as QueuedEvent);
      const event = { ...queued, seq: row.seq } as RoutedEvent;
      const events = byShard.get(row.shard);
      if (events) events.push(event);
      else byShard.set(row.shard, [event]);
    }
    // Shards in parallel; within a shard one signal at a time, so sequences arrive in order.
    // Settled, not `all`: after a refused signal the others must be over too before a hold is
    // acknowledged (see acknowledgeHolds).
    const sent = await Promise.allSettled(
      [...byShard].map(([shard, events]) => {
        const input: RouterShardInput = {
          shard,
          highWaterMark: 0,
          conversations: [],
          pending: [],
          routed: 0,
        };
        return this.options.client.workflow.signalWithStart(routerShard, {
          workflowId: routerWorkflowId(this.options.taskQueue, shard),
          taskQueue: this.options.taskQueue,
          args: [input],
          signal: routedEventsSignal,
          signalArgs: [events],
          workflowTaskTimeout: SHARD_TASK_TIMEOUT,
        });
      }),
    );
    for (const outcome of sent) if (outcome.status === 'rejected') throw outcome.reason;
    crashIfAsked(this.options.crashAt, 'after-signal');
    this.sentThrough = rows[rows.length - 1]?.seq ?? this.sentThrough;
    this.unmarkedThrough = this.sentThrough;
    this.forgetHandedOverThrough(this.sentThrough);
    this.markIfUnmarked();
    this.acknowledgeHolds();
    return rows.length;
  }

  /**
   * Tells the shards continuing as new that nothing this dispatcher sent them is still on its way
   * (`holdSignals` waits for it): Temporal refuses a continue-as-new while a signal waits, and the
   * retry replays the whole run (1.2 s in the routing bench, every shard behind it held). A drain
   * reads the holds before it sends, so one that read them just before a hold was written still
   * signals that shard; every hold present between two drains is safe, since the next drain reads
   * it. Called only between drains, so every hold present may be acknowledged; when the write
   * lock is busy the next call (5 ms into a pause, or after the next drain) tries again.
   */
  private acknowledgeHolds(): void {
    const now = Date.now();
    // The read first: most calls find nothing, and need not take the write lock.
    if (this.countUnacknowledgedHolds.get(now) === 0) return;
    writeIfFree(this.options.db.$client, () => this.acknowledgeAllHolds.run(now, now));
  }

  /** The handed-over rows that continue the sequence from the last one sent, unbroken; null when none do. */
  private unbrokenHandOver(limit: number): QueuedRow[] | null {
    this.forgetHandedOverThrough(this.sentThrough);
    const rows = this.handedOver;
    if (rows[0]?.seq !== this.sentThrough + 1) return null;
    let end = 1;
    while (end < rows.length && end < limit && rows[end]?.seq === (rows[end - 1] as QueuedRow).seq + 1) end++;
    return rows.slice(0, end);
  }

  /** Drops handed-over rows up to `seq`: sent, whether as handed over or read from the outbox. */
  private forgetHandedOverThrough(seq: number): void {
    const firstUnsent = this.handedOver.findIndex((row) => row.seq > seq);
    if (firstUnsent === -1) this.handedOver = [];
    else if (firstUnsent > 0) this.handedOver = this.handedOver.slice(firstUnsent);
  }

  /**
   * The rows before the first one of a shard that is continuing as new (see `holdSignals`): sending
   * stays a prefix in sequence order, so every shard behind the held one waits until the next run
   * starts (a few seconds at most).
   */
  private sendableRows<Row extends SendableRow>(rows: Row[]): Row[] {
    this.stoppedByHolds = null;
    if (rows.length === 0) return rows;
    const held = new Set(this.heldShards.all(Date.now()));
    if (held.size === 0) return rows;
    const firstHeld = rows.findIndex((row) => held.has(row.shard));
    if (firstHeld === -1) return rows;
    this.stoppedByHolds = held;
    return rows.slice(0, firstHeld);
  }

  /** True once none of the holds that stopped the last drain short is left (lifted or expired). */
  private holdsLifted(): boolean {
    const stoppedBy = this.stoppedByHolds;
    if (!stoppedBy || this.heldShards.all(Date.now()).some((shard) => stoppedBy.has(shard))) return false;
    this.stoppedByHolds = null;
    return true;
  }

  /** Marks what was sent, unless another connection holds the write lock right now. */
  private markIfUnmarked(): void {
    if (this.unmarkedThrough === 0) return;
    const marked = writeIfFree(this.options.db.$client, () =>
      this.markDispatched.run(Date.now(), this.unmarkedThrough),
    );
    if (marked !== LOCK_BUSY) this.unmarkedThrough = 0;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let sent = 0;
      try {
        sent = await this.drainOnce();
        failures = 0;
      } catch (error) {
        failures++;
        // Temporal unreachable or a signal refused: the rows stay pending and go out on a later try.
        this.options.log.error({ err: error, failures }, 'outbox dispatch failed; will retry');
      }
      const linger = sent > 0 ? lingerAfter(sent, this.options.maxLingerMs) : 0;
      if (failures === 0 && linger === 0 && (sent > 0 || this.wokenWhileBusy)) {
        this.wokenWhileBusy = false;
        continue;
      }
      if (failures === 0 && linger > 0) {
        // New events do not cut a linger short (that is its point); stopping does.
        this.wokenWhileBusy = false;
        await this.pause(linger, false);
        continue;
      }
      const delay =
        failures > 0 ? Math.min(5000, 100 * 2 ** Math.min(failures, 6)) : (this.options.idleMs ?? 20);
      await this.pause(delay, true);
    }
  }

  private async pause(ms: number, wakeable: boolean): Promise<void> {
    let endPause = () => {};
    // No drain is in flight during a pause, so a hold written meanwhile is safe at once; waiting for
    // the next drain kept the shards held through the linger (up to MAX_LINGER_MS) for nothing.
    // Likewise a hold lifted during a pause: every row from the held shard's first one on has
    // waited out its continue-as-new already, and lingering on kept them (and with them every
    // shard's newer rows) up to MAX_LINGER_MS longer.
    const holdPoll = setInterval(() => {
      try {
        this.acknowledgeHolds();
        if (this.holdsLifted()) endPause();
      } catch (error) {
        // Not a busy lock (that is retried): logged once, and tried again after the next drain.
        clearInterval(holdPoll);
        this.options.log.error({ err: error }, 'acknowledging a shard hold failed');
      }
    }, HOLD_POLL_MS);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      endPause = () => {
        clearTimeout(timer);
        resolve();
      };
      this.wakeUp = () => {
        if (wakeable || !this.running) endPause();
        else this.wokenWhileBusy = true;
      };
    });
    clearInterval(holdPoll);
    this.wakeUp = null;
  }
}
