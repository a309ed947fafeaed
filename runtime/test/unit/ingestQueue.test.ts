import { waWebhookSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { DEMO_BUSINESS_NUMBER_ID, seedDemoWorkspace } from '../../src/demo/seedDemo';
import { inboundTextWebhook } from '../../src/whatsapp/inboundPayloads';
import { createWebhookIngest, type StoredDelivery, type WebhookIngest } from '../../src/whatsapp/ingest';
import { IngestQueue } from '../../src/whatsapp/ingestQueue';
import { createWorkflowStore } from '../../src/workflows/workflowStore';
import { count, demoDatabase, fileDatabaseWithWorker, timerTurns } from '../support/testDatabase';

function delivery(i: number) {
  const raw = JSON.stringify(
    inboundTextWebhook({
      phoneNumberId: DEMO_BUSINESS_NUMBER_ID,
      from: `5511${i}`,
      text: `m${i}`,
      messageId: `wamid.Q${i}`,
      timestamp: 1_764_000_000,
    }),
  );
  return { raw, payload: waWebhookSchema.parse(JSON.parse(raw)) };
}

describe('webhook group commit', () => {
  it('stores 300 concurrent deliveries, each answered with its own outcome', async () => {
    const { db } = demoDatabase();
    const queue = new IngestQueue(db, createWebhookIngest(db, 8));
    const outcomes = await Promise.all(
      Array.from({ length: 300 }, (_, i) => delivery(i)).map((d) => queue.submit(d.raw, 'sig', d.payload, 1)),
    );
    expect(outcomes.every((o) => o.newDelivery && o.eventsQueued === 1)).toBe(true);
    expect([count(db, 'webhook_events'), count(db, 'messages'), count(db, 'outbox')]).toEqual([
      300, 300, 300,
    ]);
  });

  it('one delivery that breaks fails alone; the rest of its group is stored', async () => {
    const { db } = demoDatabase();
    const real = createWebhookIngest(db, 8);
    const poison = delivery(13);
    // Fault injection: the ingest fails for exactly one body, as a bug or a corrupt payload would.
    const storeOne = ((raw, signature, payload, at) => {
      if (raw === poison.raw) throw new Error('corrupt delivery');
      return real(raw, signature, payload, at);
    }) as WebhookIngest;
    const failingOnPoison = Object.assign(storeOne, {
      storeGroup: db.$client.transaction((group: StoredDelivery[]) => ({
        outcomes: group.map((d) => storeOne(d.rawBody, d.signature, d.payload, d.receivedAt)),
        queued: [],
      })),
    }) as WebhookIngest;
    const queue = new IngestQueue(db, failingOnPoison);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => delivery(i)).map((d) => queue.submit(d.raw, 'sig', d.payload, 1)),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect((results[13] as PromiseRejectedResult).reason.message).toBe('corrupt delivery');
    expect(count(db, 'messages')).toBe(19);
  });

  it('a message that fails to store inside a group is kept as a notice alone; nothing of it is left half-stored', async () => {
    const { db } = demoDatabase();
    const handedOver: number[] = [];
    const queue = new IngestQueue(db, createWebhookIngest(db, 8), (rows) =>
      handedOver.push(...rows.map((row) => row.seq)),
    );
    // Fault injection in SQLite itself: this message's row is refused after its contact and
    // conversation were written in the same store.
    db.$client.exec(`CREATE TEMP TRIGGER poison BEFORE INSERT ON messages WHEN NEW.wa_message_id = 'wamid.Q13'
                     BEGIN SELECT RAISE(ABORT, 'poisoned message'); END`);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => delivery(i)).map((d) => queue.submit(d.raw, 'sig', d.payload, 1)),
    );

    expect(outcomes[13]).toMatchObject({ newDelivery: true, messagesStored: 0, rejected: 1 });
    expect(outcomes.filter((o) => o.messagesStored === 1)).toHaveLength(19);
    const customers = (table: string) =>
      db.$client.prepare(`SELECT count(*) FROM ${table} WHERE wa_id = '551113'`).pluck().get();
    expect([customers('contacts'), customers('(SELECT customer_wa_id AS wa_id FROM conversations)')]).toEqual(
      [0, 0],
    );
    expect([count(db, 'webhook_events'), count(db, 'messages'), count(db, 'outbox')]).toEqual([20, 19, 19]);
    const notice = db.$client
      .prepare<[], { kind: string; detail: string }>(`SELECT kind, detail FROM webhook_notices`)
      .all();
    expect(notice).toHaveLength(1);
    expect(notice[0]?.kind).toBe('message_rejected');
    expect(JSON.parse(notice[0]?.detail ?? '{}').reason).toBe('storing failed: poisoned message');
    // Stored one by one after the group failed: the dispatcher finds these rows in the outbox.
    expect(handedOver).toEqual([]);
  });

  it("looks a business number's workflow up once per group, and again for the next group", async () => {
    const { db } = demoDatabase();
    const queue = new IngestQueue(db, createWebhookIngest(db, 8));
    const versionsQueued = () =>
      db.$client
        .prepare<[], string | null>(`SELECT payload ->> '$.workflowVersionId' FROM outbox ORDER BY seq`)
        .pluck()
        .all();
    const published = db.$client
      .prepare<[], string>(`SELECT published_version_id FROM workflows WHERE status = 'published'`)
      .pluck()
      .get();
    expect(published).toBeTruthy();
    await Promise.all([1, 2, 3].map((i) => delivery(i)).map((d) => queue.submit(d.raw, 'sig', d.payload, 1)));
    expect(versionsQueued()).toEqual([published, published, published]);

    // Unpublished between two groups: the next group's messages are queued without a version.
    db.$client.exec(`UPDATE workflows SET status = 'draft'`);
    await Promise.all([4, 5].map((i) => delivery(i)).map((d) => queue.submit(d.raw, 'sig', d.payload, 1)));
    expect(versionsQueued()).toEqual([published, published, published, null, null]);
  });

  it('while the router worker holds the write lock, intake keeps serving and stores the webhook after', async () => {
    const { db, worker, close } = fileDatabaseWithWorker('ingest-busy');
    seedDemoWorkspace(db, createWorkflowStore(db), Date.now());
    try {
      const queue = new IngestQueue(db, createWebhookIngest(db, 8));
      // What the worker process does while it commits a batch of assignments.
      worker.exec('BEGIN IMMEDIATE');
      const d = delivery(1);
      let stored = false;
      const outcome = queue.submit(d.raw, 'sig', d.payload, 1).then((result) => {
        stored = true;
        return result;
      });
      // Other requests (and timers) get their turn meanwhile: nobody sleeps inside SQLite.
      const turns = await timerTurns(20);
      expect([turns, stored]).toEqual([20, false]);
      worker.exec('COMMIT');
      expect(await outcome).toMatchObject({ newDelivery: true, eventsQueued: 1 });
      expect(count(db, 'outbox')).toBe(1);
    } finally {
      close();
    }
  });
});
