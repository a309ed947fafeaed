import type { WaWebhookEnvelope } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';
import { LOCK_BUSY, LOCK_POLL, writeIfFree } from '../db/writeLock';
import type { IngestOutcome, StoredDelivery, WebhookIngest } from './ingest';

interface PendingDelivery extends StoredDelivery {
  resolve(outcome: IngestOutcome): void;
  reject(error: unknown): void;
}

/** Most deliveries one commit carries; keeps a commit short under a flood. */
const MAX_GROUP = 256;

/**
 * Group commit for webhooks: deliveries that arrive while the event loop is busy are stored in one
 * SQLite transaction (each still in its own savepoint), and every request is answered only after
 * that commit. Measured here: 0.26 ms per delivery alone, 0.15 ms grouped. At low load a group is
 * one delivery and adds no wait.
 */
export class IngestQueue {
  private pending: PendingDelivery[] = [];
  private scheduled = false;
  private readonly sqlite;
  /** When the write lock was first found busy for the group waiting now (null: it was not). */
  private busySince: number | null = null;
  private pause = LOCK_POLL.firstPauseMs / 2;

  constructor(
    db: AppDatabase,
    private readonly ingest: WebhookIngest,
  ) {
    this.sqlite = db.$client;
  }

  submit(
    rawBody: string,
    signature: string,
    payload: WaWebhookEnvelope,
    receivedAt: number,
  ): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ rawBody, signature, payload, receivedAt, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const group = this.pending.splice(0, MAX_GROUP);
    // IMMEDIATE: the lock is taken (or found busy) before anything is written.
    const store = () => this.ingest.storeGroup.immediate(group);
    const waitedTooLong = this.busySince !== null && Date.now() - this.busySince > LOCK_POLL.forMs;
    try {
      const outcomes = waitedTooLong ? store() : writeIfFree(this.sqlite, store);
      if (outcomes === LOCK_BUSY) {
        // The router worker is committing: try again in a moment, with what arrived meanwhile,
        // instead of sleeping in SQLite with every request and socket of this process waiting.
        this.pending.unshift(...group);
        this.busySince ??= Date.now();
        this.pause = Math.min(this.pause * 2, LOCK_POLL.longestPauseMs);
        this.scheduled = true;
        setTimeout(() => this.flush(), this.pause);
        return;
      }
      for (const [i, delivery] of group.entries()) delivery.resolve(outcomes[i] as IngestOutcome);
    } catch {
      // One delivery broke the group: store the others one by one, so it fails alone.
      for (const delivery of group) {
        try {
          delivery.resolve(
            this.ingest(delivery.rawBody, delivery.signature, delivery.payload, delivery.receivedAt),
          );
        } catch (error) {
          delivery.reject(error);
        }
      }
    }
    this.busySince = null;
    this.pause = LOCK_POLL.firstPauseMs / 2;
    if (this.pending.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }
}
