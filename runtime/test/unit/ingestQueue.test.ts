import { waWebhookSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { DEMO_BUSINESS_NUMBER_ID } from '../../src/demo/seedDemo';
import { inboundTextWebhook } from '../../src/whatsapp/inboundPayloads';
import { createWebhookIngest, type WebhookIngest } from '../../src/whatsapp/ingest';
import { IngestQueue } from '../../src/whatsapp/ingestQueue';
import { count, demoDatabase } from '../support/testDatabase';

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
    const failingOnPoison = ((raw, signature, payload, at) => {
      if (raw === poison.raw) throw new Error('corrupt delivery');
      return real(raw, signature, payload, at);
    }) as WebhookIngest;
    const queue = new IngestQueue(db, failingOnPoison);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => delivery(i)).map((d) => queue.submit(d.raw, 'sig', d.payload, 1)),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect((results[13] as PromiseRejectedResult).reason.message).toBe('corrupt delivery');
    expect(count(db, 'messages')).toBe(19);
  });
});
