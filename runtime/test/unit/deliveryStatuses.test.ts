import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../../src/api/httpError';
import type { AppDatabase } from '../../src/db/database';
import { DEMO_BUSINESS_NUMBER_ID } from '../../src/demo/seedDemo';
import { inboundTextWebhook } from '../../src/whatsapp/inboundPayloads';
import { createWebhookIngest } from '../../src/whatsapp/ingest';
import { IngestQueue } from '../../src/whatsapp/ingestQueue';
import { signWebhookBody } from '../../src/whatsapp/signature';
import { webhookRoutes } from '../../src/whatsapp/webhookRoutes';
import { demoDatabase } from '../support/testDatabase';

const SECRET = 'status-secret';
let db: AppDatabase;
let app: ReturnType<typeof Fastify>;

beforeEach(async () => {
  db = demoDatabase().db;
  app = Fastify();
  installErrorHandler(app);
  const ingest = new IngestQueue(db, createWebhookIngest(db, 8));
  await app.register(webhookRoutes, {
    appSecret: SECRET,
    verifyToken: 'v',
    bodyLimit: 65536,
    ingest,
    onQueued: () => {},
  });
  // A customer wrote, and we answered with wamid.OUT1.
  await post(
    JSON.stringify(
      inboundTextWebhook({
        phoneNumberId: DEMO_BUSINESS_NUMBER_ID,
        from: '5511900000001',
        text: 'oi',
        messageId: 'wamid.IN1',
        timestamp: 1_764_000_000,
      }),
    ),
  );
  const conversationId = db.$client.prepare(`SELECT id FROM conversations`).pluck().get();
  db.$client
    .prepare(
      `INSERT INTO messages (id, wa_message_id, conversation_id, direction, type, text, payload, sent_at, status)
       VALUES ('m-out', 'wamid.OUT1', ?, 'outbound', 'text', 'Olá!', '{}', 1764000010000, 'sent')`,
    )
    .run(conversationId);
});
afterEach(async () => {
  await app.close();
  db.$client.close();
});

function post(body: string) {
  return app.inject({
    method: 'POST',
    url: '/webhooks/whatsapp',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(body, SECRET) },
    payload: body,
  });
}

function statuses(...items: Array<{ id: string; status: string; timestamp: number; errors?: unknown[] }>) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: DEMO_BUSINESS_NUMBER_ID },
              statuses: items.map((item) => ({
                ...item,
                timestamp: String(item.timestamp),
                recipient_id: '5511900000001',
              })),
            },
          },
        ],
      },
    ],
  });
}

const statusOf = () =>
  db.$client.prepare(`SELECT status, status_at FROM messages WHERE wa_message_id = 'wamid.OUT1'`).get();

describe('delivery statuses', () => {
  it('arrive unordered in one batch, and a late "delivered" never turns "read" back', async () => {
    const reply = await post(
      statuses(
        { id: 'wamid.OUT1', status: 'read', timestamp: 1_764_000_030 },
        { id: 'wamid.OUT1', status: 'delivered', timestamp: 1_764_000_020 },
      ),
    );
    expect(reply.statusCode).toBe(200);
    await post(statuses({ id: 'wamid.OUT1', status: 'sent', timestamp: 1_764_000_011 }));
    expect(statusOf()).toEqual({ status: 'read', status_at: 1_764_000_030_000 });
  });

  it('"failed" keeps the errors and queues a routed delivery-failed event for the workflows', async () => {
    const before = db.$client.prepare(`SELECT count(*) FROM outbox`).pluck().get() as number;
    const errors = [
      { code: 131047, title: 'Re-engagement message', message: 'More than 24 hours have passed' },
    ];
    const reply = await post(
      statuses({ id: 'wamid.OUT1', status: 'failed', timestamp: 1_764_200_000, errors }),
    );
    expect(reply.json()).toMatchObject({ eventsQueued: 1 });
    expect(statusOf()).toEqual({ status: 'failed', status_at: 1_764_200_000_000 });
    const payloads = db.$client.prepare(`SELECT payload FROM outbox ORDER BY seq`).pluck().all() as string[];
    expect(payloads).toHaveLength(before + 1);
    expect(JSON.parse(payloads.at(-1) as string)).toMatchObject({
      type: 'message.deliveryFailed',
      messageId: 'wamid.OUT1',
      errorCode: 131047,
      errorTitle: 'Re-engagement message',
    });
  });

  it('statuses of messages we did not send are accepted and change nothing', async () => {
    const reply = await post(
      statuses({ id: 'wamid.SOMEONE_ELSE', status: 'read', timestamp: 1_764_000_030 }),
    );
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({ eventsQueued: 0 });
    expect(statusOf()).toEqual({ status: 'sent', status_at: null });
  });

  it('a status that fails to store is kept as a notice, and none of its changes is left behind', async () => {
    const outboxRows = () => db.$client.prepare(`SELECT count(*) FROM outbox`).pluck().get();
    const before = outboxRows();
    // Fault injection in SQLite itself: the routed event of a failure is refused after the
    // message's status was written in the same store.
    db.$client.exec(`CREATE TEMP TRIGGER poison BEFORE INSERT ON outbox WHEN NEW.payload LIKE '%deliveryFailed%'
                     BEGIN SELECT RAISE(ABORT, 'poisoned event'); END`);
    const reply = await post(statuses({ id: 'wamid.OUT1', status: 'failed', timestamp: 1_764_200_000 }));

    expect(reply.statusCode).toBe(200);
    expect(statusOf()).toEqual({ status: 'sent', status_at: null });
    expect(outboxRows()).toBe(before);
    const notice = db.$client
      .prepare<[], { kind: string; detail: string }>(`SELECT kind, detail FROM webhook_notices`)
      .get();
    expect(notice?.kind).toBe('message_rejected');
    expect(JSON.parse(notice?.detail ?? '{}').reason).toBe('storing failed: poisoned event');
  });
});
