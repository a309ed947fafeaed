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
import { count, demoDatabase } from '../support/testDatabase';

const SECRET = 'unit-secret';
let db: AppDatabase;
let app: ReturnType<typeof Fastify>;
let wakes = 0;

beforeEach(async () => {
  db = demoDatabase().db;
  wakes = 0;
  app = Fastify();
  installErrorHandler(app);
  await app.register(webhookRoutes, {
    appSecret: SECRET,
    verifyToken: 'verify-me',
    bodyLimit: 4096,
    ingest: new IngestQueue(db, createWebhookIngest(db, 8)),
    onQueued: () => {
      wakes++;
    },
  });
});
afterEach(async () => {
  await app.close();
  db.$client.close();
});

function textBody(from: string, messageId: string, text = 'Olá! مرحبا 👋🏽') {
  return JSON.stringify(
    inboundTextWebhook({
      phoneNumberId: DEMO_BUSINESS_NUMBER_ID,
      from,
      text,
      messageId,
      timestamp: 1_764_000_000,
      profileName: 'Maria',
    }),
  );
}

/** `signature: null` sends no header at all. */
function post(body: string, signature: string | null = signWebhookBody(body, SECRET)) {
  return app.inject({
    method: 'POST',
    url: '/webhooks/whatsapp',
    headers: {
      'content-type': 'application/json',
      ...(signature ? { 'x-hub-signature-256': signature } : {}),
    },
    payload: body,
  });
}

describe('GET /webhooks/whatsapp (verification handshake)', () => {
  it('echoes hub.challenge when the verify token matches', async () => {
    const reply = await app.inject({
      url: '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444',
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toBe('1158201444');
  });

  it('refuses a wrong token with 403 naming hub.verify_token', async () => {
    const reply = await app.inject({
      url: '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1',
    });
    expect(reply.statusCode).toBe(403);
    expect(reply.json().error.field).toBe('hub.verify_token');
  });
});

describe('POST /webhooks/whatsapp', () => {
  it('stores the raw event, the message and one outbox row, then answers 200', async () => {
    const body = textBody('5511999990001', 'wamid.A1');
    const reply = await post(body);
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({ newDelivery: true, messagesStored: 1, eventsQueued: 1 });

    const raw = db.$client.prepare('SELECT body FROM webhook_events').pluck().all();
    expect(raw).toEqual([body]);
    const message = db.$client.prepare('SELECT text, type, direction FROM messages').get();
    expect(message).toEqual({ text: 'Olá! مرحبا 👋🏽', type: 'text', direction: 'inbound' });
    const outbox = db.$client.prepare('SELECT payload FROM outbox').pluck().get() as string;
    expect(JSON.parse(outbox)).toMatchObject({
      type: 'message.received',
      messageId: 'wamid.A1',
      isNewConversation: true,
      customerWaId: '5511999990001',
      workflowVersionId: expect.any(String),
    });
    const contact = db.$client
      .prepare('SELECT name FROM contacts WHERE wa_id = ?')
      .pluck()
      .get('5511999990001');
    expect(contact).toBe('Maria');
    expect(wakes).toBe(1);
  });

  it('a redelivery (same body) is acknowledged and changes nothing', async () => {
    const body = textBody('5511999990002', 'wamid.B1');
    await post(body);
    const again = await post(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ newDelivery: false, eventsQueued: 0 });
    expect([count(db, 'webhook_events'), count(db, 'messages'), count(db, 'outbox')]).toEqual([1, 1, 1]);
  });

  it('the same message id inside a different delivery is stored and routed once', async () => {
    await post(textBody('5511999990003', 'wamid.C1', 'first'));
    const second = await post(textBody('5511999990003', 'wamid.C1', 'first, re-framed'));
    expect(second.json()).toMatchObject({ duplicateMessages: 1, eventsQueued: 0 });
    expect([count(db, 'messages'), count(db, 'outbox')]).toEqual([1, 1]);
  });

  it('a second message in the same conversation is not a new conversation', async () => {
    await post(textBody('5511999990004', 'wamid.D1'));
    await post(textBody('5511999990004', 'wamid.D2'));
    const payloads = db.$client.prepare('SELECT payload FROM outbox ORDER BY seq').pluck().all() as string[];
    const events = payloads.map((payload) => JSON.parse(payload));
    expect(events.map((event) => event.isNewConversation)).toEqual([true, false]);
    expect(events[0].conversationId).toBe(events[1].conversationId);
  });

  it('401 without a signature, naming the header; nothing stored', async () => {
    const reply = await post(textBody('5511999990005', 'wamid.E1'), null);
    expect(reply.statusCode).toBe(401);
    expect(reply.json().error).toMatchObject({ code: 'missing_signature', field: 'x-hub-signature-256' });
    expect(count(db, 'webhook_events')).toBe(0);
  });

  it('401 with a signature made with another secret', async () => {
    const body = textBody('5511999990006', 'wamid.F1');
    const reply = await post(body, signWebhookBody(body, 'not-the-secret'));
    expect(reply.statusCode).toBe(401);
    expect(reply.json().error.code).toBe('invalid_signature');
  });

  it('400 for malformed JSON (correctly signed)', async () => {
    const reply = await post('{"object": "whatsapp_business_account", "entry": [');
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error).toMatchObject({ code: 'malformed_json', field: 'body' });
  });

  it('400 naming the field when the JSON is not a webhook', async () => {
    const reply = await post(
      JSON.stringify({ object: 'whatsapp_business_account', entry: [{ changes: [] }] }),
    );
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error).toMatchObject({ code: 'invalid_webhook', field: 'entry.0.id' });
  });

  it('413 for a body over the configured limit', async () => {
    const reply = await post(textBody('5511999990007', 'wamid.G1', 'x'.repeat(5000)));
    expect(reply.statusCode).toBe(413);
    expect(reply.json().error.code).toBe('body_too_large');
    expect(count(db, 'messages')).toBe(0);
  });

  it('accepts and records other webhook fields without routing them', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        { id: 'WABA', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] },
      ],
    });
    const reply = await post(body);
    expect(reply.statusCode).toBe(200);
    expect([count(db, 'webhook_events'), count(db, 'outbox')]).toEqual([1, 0]);
  });
});
