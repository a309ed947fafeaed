import type { Effect } from '@switchboard/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOMER_SERVICE_WINDOW_MS, createWhatsAppSender } from '../../src/effects/sendWhatsAppEffect';
import { NOW, NUMBER_ID, outboundFixture } from '../support/outboundFixture';

let fixture: Awaited<ReturnType<typeof outboundFixture>>;
let send: ReturnType<typeof createWhatsAppSender>;

beforeEach(async () => {
  fixture = await outboundFixture();
  fixture.customer('5511900000009');
  send = createWhatsAppSender(fixture.db, fixture.options);
});
afterEach(() => fixture.close());

function textEffect(body: string): Extract<Effect, { type: 'sendWhatsApp' }> {
  return {
    type: 'sendWhatsApp',
    key: 'k1',
    conversationId: 'conv-5511900000009',
    executionId: 'e1',
    workflowVersionId: 'v1',
    nodeId: 'send',
    message: { type: 'text', text: { body } },
    requiresOpenWindow: true,
  };
}

describe('a workflow sending through the Cloud API', () => {
  it('posts to /{version}/{phone-number-id}/messages and stores the message with the id Meta returned', async () => {
    const result = await send(textEffect('Olá! Já vamos te atender 😊'), NOW);
    expect(fixture.graphApi.sent).toHaveLength(1);
    expect(fixture.graphApi.sent[0]).toMatchObject({
      version: 'v23.0',
      phoneNumberId: NUMBER_ID,
      body: {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '5511900000009',
        type: 'text',
        text: { body: 'Olá! Já vamos te atender 😊' },
      },
    });
    expect(result).toEqual({
      type: 'sendWhatsApp',
      waMessageId: fixture.graphApi.sent[0]?.messageId,
      refusedReason: null,
    });
    const stored = fixture.db.$client
      .prepare(`SELECT direction, text, status, conversation_id FROM messages WHERE wa_message_id = ?`)
      .get(result.type === 'sendWhatsApp' ? result.waMessageId : '');
    expect(stored).toEqual({
      direction: 'outbound',
      text: 'Olá! Já vamos te atender 😊',
      status: 'sent',
      conversation_id: 'conv-5511900000009',
    });
  });

  it('refuses a free-form message outside the 24-hour window without calling Meta', async () => {
    const result = await send(textEffect('late'), NOW - 60_000 + CUSTOMER_SERVICE_WINDOW_MS);
    expect(result).toMatchObject({ waMessageId: null, refusedReason: expect.stringContaining('24-hour') });
    expect(fixture.graphApi.messageRequests).toBe(0);
  });

  it("a refusal by Meta becomes the node's 'failed' branch; a pacing wait too long is retried by Temporal", async () => {
    fixture.graphApi.failNext({ code: 131047 });
    expect(await send(textEffect('x'), NOW)).toMatchObject({
      waMessageId: null,
      refusedReason: expect.stringContaining('131047'),
    });
    const paced = createWhatsAppSender(fixture.db, {
      ...fixture.options,
      pacing: { ...fixture.options.pacing, recipientBurst: 1, maxWaitMs: 1000 },
    });
    await expect(paced(textEffect('y'), NOW)).rejects.toThrow(/pacing/);
  });

  it('an outage of the Cloud API (5xx) throws, so that the activity is retried rather than failed', async () => {
    fixture.graphApi.failNext({ code: 2, httpStatus: 503, message: 'Service temporarily unavailable' });
    await expect(send(textEffect('z'), NOW)).rejects.toThrow(/unavailable/);
  });
});
