import type { OutboundMessage } from '@switchboard/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRoutedEventQueue } from '../../src/conversations/routedEventQueue';
import { createDeliveryStatuses, createParkedStatusReplay } from '../../src/whatsapp/deliveryStatuses';
import { parameterNamedIn } from '../../src/whatsapp/outbound/cloudApiErrors';
import { createOutboundSender } from '../../src/whatsapp/outbound/outboundSender';
import { outboundFixture } from '../support/outboundFixture';
import { duringWorkerCommit } from '../support/testDatabase';

let fixture: Awaited<ReturnType<typeof outboundFixture>>;
let conversationId: string;

beforeEach(async () => {
  fixture = await outboundFixture();
  conversationId = fixture.customer('5511900000001');
});
afterEach(() => fixture.close());

const sendMessage = (message: OutboundMessage) => fixture.sender.send({ conversationId, message });

describe('every outbound kind goes out as the Cloud API JSON Meta documents', () => {
  it.each<[string, OutboundMessage]>([
    [
      'text with a link preview, replying to a message',
      {
        type: 'text',
        context: { message_id: 'wamid.IN1' },
        text: { body: 'Veja https://example.com/status', preview_url: true },
      },
    ],
    [
      'a template with header, body and button parameters',
      {
        type: 'template',
        template: {
          name: 'order_update',
          language: { code: 'pt_BR' },
          components: [
            { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/p.jpg' } }] },
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Maria' },
                {
                  type: 'currency',
                  currency: { fallback_value: 'R$12,34', code: 'BRL', amount_1000: 12340 },
                },
                { type: 'date_time', date_time: { fallback_value: '25 de novembro' } },
              ],
            },
            {
              type: 'button',
              sub_type: 'quick_reply',
              index: '0',
              parameters: [{ type: 'payload', payload: 'TRACK' }],
            },
          ],
        },
      },
    ],
    [
      'interactive reply buttons',
      {
        type: 'interactive',
        interactive: {
          type: 'button',
          header: { type: 'text', text: 'Atendimento' },
          body: { text: 'Vendas ou suporte?' },
          footer: { text: 'Switchboard' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'sales', title: 'Vendas' } },
              { type: 'reply', reply: { id: 'support', title: 'Suporte' } },
            ],
          },
        },
      },
    ],
    [
      'an interactive list',
      {
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Choose a topic' },
          action: {
            button: 'Topics',
            sections: [
              {
                title: 'Billing',
                rows: [{ id: 'invoice', title: 'Invoice', description: 'A copy of an invoice' }],
              },
              { title: 'Tech', rows: [{ id: 'login', title: 'Cannot log in' }] },
            ],
          },
        },
      },
    ],
    ['a reaction', { type: 'reaction', reaction: { message_id: 'wamid.IN1', emoji: '👍' } }],
  ])('%s', async (_name, message) => {
    const outcome = await sendMessage(message);
    expect(outcome.sent).toBe(true);
    expect(fixture.graphApi.sent[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '5511900000001',
      ...message,
    });
    const stored = fixture.db.$client
      .prepare(`SELECT type, status FROM messages WHERE wa_message_id = ?`)
      .get(fixture.graphApi.sent[0]?.messageId);
    expect(stored).toEqual({ type: message.type, status: 'sent' });
  });

  it('marks a customer message as read with status: read and its message id', async () => {
    expect(await fixture.sender.markRead(conversationId, 'wamid.IN42')).toEqual({ ok: true });
    expect(fixture.graphApi.markedRead).toEqual(['wamid.IN42']);
  });

  it('templates may go out after the window closed; free-form messages may not', async () => {
    const closed = fixture.customer('5511900000002', 25 * 3_600_000);
    const template = await fixture.sender.send({
      conversationId: closed,
      message: {
        type: 'template',
        template: { name: 'follow_up', language: { code: 'en_US' }, components: [] },
      },
    });
    expect(template.sent).toBe(true);
    const text = await fixture.sender.send({
      conversationId: closed,
      message: { type: 'text', text: { body: 'hi' } },
    });
    expect(text).toMatchObject({ sent: false, failure: { kind: 'outside_window', code: null } });
    if (!text.sent)
      expect(text.failure.message).toMatch(/24-hour customer-service window \(it closed at 20\d\d-/);
  });
});

describe("Meta's errors become clear outcomes", () => {
  const text: OutboundMessage = { type: 'text', text: { body: 'hello' } };

  it("131047: outside the window by Meta's clock → refused, a template offered, no retry", async () => {
    fixture.graphApi.failNext({ code: 131047 });
    const outcome = await sendMessage(text);
    expect(outcome).toMatchObject({ sent: false, failure: { kind: 'outside_window', code: 131047 } });
    if (!outcome.sent) expect(outcome.failure.message).toMatch(/template/);
    expect(fixture.graphApi.messageRequests).toBe(1);
  });

  it('131026: undeliverable → refused, no retry', async () => {
    fixture.graphApi.failRecipient('5511900000001', { code: 131026 });
    const outcome = await sendMessage(text);
    expect(outcome).toMatchObject({ sent: false, failure: { kind: 'undeliverable', code: 131026 } });
    expect(fixture.graphApi.messageRequests).toBe(1);
  });

  it('190: a bad token is a configuration error naming WHATSAPP_ACCESS_TOKEN, never retried', async () => {
    fixture.graphApi.failNext({ code: 190 }, 5);
    const outcome = await sendMessage(text);
    expect(outcome).toMatchObject({ sent: false, failure: { kind: 'token', code: 190 } });
    if (!outcome.sent) expect(outcome.failure.message).toMatch(/WHATSAPP_ACCESS_TOKEN/);
    expect(fixture.graphApi.messageRequests).toBe(1);
  });

  it('100: an invalid parameter names the parameter from error_data.details, never retried', async () => {
    fixture.graphApi.failNext({
      code: 100,
      details: "Param text['body'] must be at most 4096 characters long.",
    });
    const outcome = await sendMessage(text);
    expect(outcome).toMatchObject({
      sent: false,
      failure: { kind: 'invalid_parameter', code: 100, parameter: 'text.body' },
    });
    expect(fixture.graphApi.messageRequests).toBe(1);
  });

  it.each([130429, 131056])('%i: backs off with jitter and sends again, within the bound', async (code) => {
    fixture.graphApi.failNext({ code }, 2);
    const outcome = await sendMessage(text);
    expect(outcome.sent).toBe(true);
    expect(fixture.graphApi.messageRequests).toBe(3);
    // Backoffs double from 500 ms; with jitter each lies in [ceiling/2, ceiling].
    const backoffs = fixture.clock.sleeps.filter((ms) => ms >= 250);
    expect(backoffs).toEqual([375, 750]);
  });

  it('a rate limit that outlasts the retries is reported as such, after exactly retries + 1 attempts', async () => {
    fixture.graphApi.failNext({ code: 130429 }, 10);
    const outcome = await sendMessage(text);
    expect(outcome).toMatchObject({ sent: false, failure: { kind: 'rate_limited', code: 130429 } });
    if (!outcome.sent) expect(outcome.failure.message).toMatch(/after 3 retries/);
    expect(fixture.graphApi.messageRequests).toBe(4);
  });

  it('jitter spreads retries: different random draws give different waits', async () => {
    const draws = [0, 0.999];
    const spread = await outboundFixture({ random: () => draws.shift() ?? 0.5 });
    const other = spread.customer('5511900000003');
    spread.graphApi.failNext({ code: 130429 }, 2);
    await spread.sender.send({ conversationId: other, message: text });
    expect(spread.clock.sleeps.filter((ms) => ms >= 250)).toEqual([250, 1000]);
    await spread.close();
  });
});

describe('finding the parameter Meta named', () => {
  it.each([
    ["Param text['body'] must be at most 4096 characters long.", 'text.body'],
    ['The parameter to is required.', 'to'],
    ['Param template.components[0].parameters is invalid', 'template.components.0.parameters'],
    ['Parameter value is not valid', null],
    ['Invalid parameter', null],
  ])('%s → %s', (details, parameter) => {
    expect(parameterNamedIn(details)).toBe(parameter);
  });
});

describe('a status webhook that overtakes the send it belongs to', () => {
  it("is parked and applied as soon as the message is stored, so the message still ends 'delivered'", async () => {
    const events = createRoutedEventQueue(fixture.db, 8);
    const applyStatus = createDeliveryStatuses(fixture.db, events);
    const replay = createParkedStatusReplay(fixture.db, events);
    const racing = createOutboundSender(fixture.db, {
      ...fixture.options,
      onStored: (waMessageId) => replay(waMessageId),
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const { messages } = await response.clone().json();
        // Meta's webhook is stored before our own commit of the send.
        applyStatus({ id: messages[0].id, status: 'delivered', timestamp: '1764000001' });
        return response;
      },
    });
    const outcome = await racing.send({ conversationId, message: { type: 'text', text: { body: 'race' } } });
    expect(outcome.sent).toBe(true);
    const status = fixture.db.$client
      .prepare(`SELECT status FROM messages WHERE wa_message_id = ?`)
      .pluck()
      .get(fixture.graphApi.sent[0]?.messageId);
    expect(status).toBe('delivered');
    expect(fixture.db.$client.prepare(`SELECT count(*) FROM unmatched_statuses`).pluck().get()).toBe(0);
  });
});

describe('a reply while the router worker holds the write lock', () => {
  it('is paced, sent and stored once the lock is free, with the event loop free meanwhile', async () => {
    const lockable = await outboundFixture({}, {}, { lockable: true });
    try {
      const customer = lockable.customer('5511900000077');
      const worker = lockable.worker as NonNullable<typeof lockable.worker>;
      const outcome = await duringWorkerCommit(worker, () =>
        lockable.sender.send({
          conversationId: customer,
          message: { type: 'text', text: { body: 'On it!' } },
        }),
      );
      expect(outcome).toMatchObject({ sent: true });
      const stored = lockable.db.$client
        .prepare(`SELECT text FROM messages WHERE conversation_id = ? AND direction = 'outbound'`)
        .pluck()
        .all(customer);
      expect(stored).toEqual(['On it!']);
    } finally {
      await lockable.close();
    }
  });
});
