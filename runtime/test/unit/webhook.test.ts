import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../src/db/database';
import { DEMO_BUSINESS_NUMBER_ID } from '../../src/demo/seedDemo';
import {
  customerCloudMessage,
  inboundTextWebhook,
  inboundValue,
  messagesWebhook,
} from '../../src/whatsapp/inboundPayloads';
import { signWebhookBody } from '../../src/whatsapp/signature';
import { count } from '../support/testDatabase';
import { type WebhookTestApp, webhookTestApp } from '../support/webhookApp';

let harness: WebhookTestApp;
let db: AppDatabase;
let app: WebhookTestApp['app'];
let post: WebhookTestApp['post'];

beforeEach(async () => {
  harness = await webhookTestApp();
  ({ db, app, post } = harness);
});
afterEach(() => harness.close());

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
    expect(harness.wakes()).toBe(1);
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

const at = 1_764_000_000;
function cloudText(from: string, id: string, body = `hello from ${from}`) {
  return customerCloudMessage({ from, message: { kind: 'text', body } }, { messageId: id, timestamp: at });
}
const SECOND_NUMBER_ID = '100000000000002';

describe('POST /webhooks/whatsapp: batches and what else Meta sends', () => {
  it('several entries, changes, messages and statuses in one POST are all stored', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA_1',
          changes: [
            {
              field: 'messages',
              value: inboundValue(DEMO_BUSINESS_NUMBER_ID, [
                cloudText('5511900000001', 'wamid.BATCH1'),
                cloudText('5511900000002', 'wamid.BATCH2'),
              ]),
            },
            {
              field: 'messages',
              value: {
                ...inboundValue(SECOND_NUMBER_ID, [cloudText('5511900000001', 'wamid.BATCH3')]),
                statuses: [{ id: 'wamid.UNKNOWN_OUT', status: 'delivered', timestamp: String(at) }],
              },
            },
          ],
        },
        {
          id: 'WABA_2',
          changes: [
            {
              field: 'messages',
              value: inboundValue('100000000000003', [cloudText('5511900000003', 'wamid.BATCH4')]),
            },
          ],
        },
      ],
    });
    const reply = await post(body);
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({ messagesStored: 4, eventsQueued: 4, rejected: 0 });
    expect([count(db, 'messages'), count(db, 'outbox'), count(db, 'webhook_events')]).toEqual([4, 4, 1]);
  });

  it('a conversation is keyed by business number and customer: one customer, two numbers, two conversations', async () => {
    await post(
      JSON.stringify(
        messagesWebhook([inboundValue(DEMO_BUSINESS_NUMBER_ID, [cloudText('5511900000009', 'wamid.K1')])]),
      ),
    );
    await post(
      JSON.stringify(
        messagesWebhook([inboundValue(SECOND_NUMBER_ID, [cloudText('5511900000009', 'wamid.K2')])]),
      ),
    );
    await post(
      JSON.stringify(
        messagesWebhook([inboundValue(SECOND_NUMBER_ID, [cloudText('5511900000009', 'wamid.K3')])]),
      ),
    );
    const conversations = db.$client
      .prepare(
        `SELECT c.business_number_id AS number, count(m.id) AS messages FROM conversations c
           JOIN messages m ON m.conversation_id = c.id WHERE c.customer_wa_id = '5511900000009'
          GROUP BY c.id ORDER BY number`,
      )
      .all();
    expect(conversations).toEqual([
      { number: DEMO_BUSINESS_NUMBER_ID, messages: 1 },
      { number: SECOND_NUMBER_ID, messages: 2 },
    ]);
    // A number first seen in a webhook is recorded, so it can be given a workflow and a team.
    expect(
      db.$client.prepare('SELECT 1 FROM business_numbers WHERE id = ?').pluck().get(SECOND_NUMBER_ID),
    ).toBe(1);
  });

  it('value-level errors are recorded with the number they concern', async () => {
    const errors = [{ code: 131000, title: 'Something went wrong', error_data: { details: 'try later' } }];
    const reply = await post(
      JSON.stringify(
        messagesWebhook([
          {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550001111', phone_number_id: DEMO_BUSINESS_NUMBER_ID },
            errors,
          },
        ]),
      ),
    );
    expect(reply.statusCode).toBe(200);
    const notice = db.$client
      .prepare('SELECT kind, business_number_id, detail FROM webhook_notices')
      .get() as {
      kind: string;
      business_number_id: string;
      detail: string;
    };
    expect(notice).toMatchObject({ kind: 'value_errors', business_number_id: DEMO_BUSINESS_NUMBER_ID });
    expect(JSON.parse(notice.detail)).toEqual(errors);
  });

  it('template status updates (another field) are recorded as notices, never routed', async () => {
    const value = { event: 'APPROVED', message_template_id: 123, message_template_name: 'order_update' };
    const reply = await post(
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: 'WABA', changes: [{ field: 'message_template_status_update', value }] }],
      }),
    );
    expect(reply.statusCode).toBe(200);
    const notice = db.$client.prepare('SELECT kind, field, detail FROM webhook_notices').get() as {
      detail: string;
    };
    expect(notice).toMatchObject({ kind: 'other_field', field: 'message_template_status_update' });
    expect(JSON.parse(notice.detail)).toEqual(value);
    expect(count(db, 'outbox')).toBe(0);
  });
});

describe('POST /webhooks/whatsapp: one poison event never blocks the others', () => {
  it('a malformed message is kept as a notice naming the problem; its batch mates are stored and routed', async () => {
    const broken = { id: 'wamid.BROKEN', timestamp: 'yesterday', type: 'text', text: { body: 'no sender' } };
    const value = inboundValue(DEMO_BUSINESS_NUMBER_ID, [cloudText('5511900000011', 'wamid.P1')]);
    value.messages = [
      value.messages?.[0],
      broken,
      cloudText('5511900000012', 'wamid.P2'),
    ] as typeof value.messages;
    const reply = await post(JSON.stringify(messagesWebhook([value])));
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({ messagesStored: 2, eventsQueued: 2, rejected: 1 });
    const detail = JSON.parse(
      db.$client
        .prepare(`SELECT detail FROM webhook_notices WHERE kind = 'message_rejected'`)
        .pluck()
        .get() as string,
    );
    expect(detail.reason).toMatch(/^from: /);
    expect(detail.item).toEqual(broken);
  });

  it('a message that fails to store is kept as a notice; the rest of the batch is stored', async () => {
    // Fault injection at the storage layer, as a constraint or a corrupt page would fail one insert.
    db.$client.exec(`CREATE TRIGGER poison BEFORE INSERT ON messages WHEN NEW.wa_message_id = 'wamid.POISON'
                     BEGIN SELECT RAISE(ABORT, 'poisoned row'); END`);
    const reply = await post(
      JSON.stringify(
        messagesWebhook([
          inboundValue(DEMO_BUSINESS_NUMBER_ID, [
            cloudText('5511900000021', 'wamid.POISON'),
            cloudText('5511900000022', 'wamid.FINE'),
          ]),
        ]),
      ),
    );
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({ messagesStored: 1, rejected: 1 });
    const stored = db.$client.prepare('SELECT wa_message_id FROM messages').pluck().all();
    expect(stored).toEqual(['wamid.FINE']);
    // The poisoned message left nothing half-written: no conversation, no outbox row of its own.
    expect(count(db, 'outbox')).toBe(1);
    expect(
      db.$client
        .prepare(`SELECT count(*) FROM conversations WHERE customer_wa_id = '5511900000021'`)
        .pluck()
        .get(),
    ).toBe(0);
    const reason = JSON.parse(
      db.$client.prepare('SELECT detail FROM webhook_notices').pluck().get() as string,
    ).reason;
    expect(reason).toContain('poisoned row');
    // The raw body keeps it, to be replayed once the cause is fixed.
    expect(db.$client.prepare('SELECT body FROM webhook_events').pluck().get()).toContain('wamid.POISON');
  });

  it('a delivery that cannot be stored at all is not acknowledged: 503 with a JSON error, so Meta retries', async () => {
    db.$client.exec(
      `CREATE TRIGGER refuse BEFORE INSERT ON webhook_events BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    const reply = await post(textBody('5511900000031', 'wamid.R1'));
    expect(reply.statusCode).toBe(503);
    expect(reply.json().error).toMatchObject({ code: 'not_stored' });
    db.$client.exec('DROP TRIGGER refuse');
    const retried = await post(textBody('5511900000031', 'wamid.R1'));
    expect(retried.json()).toMatchObject({ newDelivery: true, messagesStored: 1 });
  });

  it('413 names the limit and is JSON; 400 for a body that is not an object', async () => {
    const big = await post(textBody('5511900000041', 'wamid.L1', 'y'.repeat(8000)));
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toMatch(/application\/json/);
    expect(big.json().error.message).toMatch(/limit|large/i);
    const notAWebhook = await post('[1, 2, 3]');
    expect(notAWebhook.statusCode).toBe(400);
    expect(notAWebhook.json().error.code).toBe('invalid_webhook');
  });
});
