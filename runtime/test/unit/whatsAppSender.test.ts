import type { Effect } from '@switchboard/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../src/db/database';
import { CUSTOMER_SERVICE_WINDOW_MS, createWhatsAppSender } from '../../src/effects/sendWhatsAppEffect';
import { GraphApiSimulator } from '../../src/whatsapp/simulator/graphApiSimulator';
import { demoDatabase } from '../support/testDatabase';

const TOKEN = 'EAAG-test-token';
const NOW = 1_764_000_000_000;
let db: AppDatabase;
let graphApi: GraphApiSimulator;
let send: ReturnType<typeof createWhatsAppSender>;

beforeEach(async () => {
  db = demoDatabase().db;
  graphApi = new GraphApiSimulator(TOKEN);
  const baseUrl = await graphApi.start();
  send = createWhatsAppSender(db, { baseUrl, version: 'v23.0', accessToken: TOKEN });
  db.$client.prepare(`INSERT INTO contacts (id, wa_id) VALUES ('ct1', '5511900000009')`).run();
  db.$client
    .prepare(
      `INSERT INTO conversations (id, business_number_id, contact_id, customer_wa_id, last_inbound_at)
       VALUES ('conv-1', '100000000000001', 'ct1', '5511900000009', ?)`,
    )
    .run(NOW - 60_000);
});
afterEach(async () => {
  await graphApi.stop();
  db.$client.close();
});

function textEffect(body: string): Extract<Effect, { type: 'sendWhatsApp' }> {
  return {
    type: 'sendWhatsApp',
    key: 'k1',
    conversationId: 'conv-1',
    executionId: 'e1',
    workflowVersionId: 'v1',
    nodeId: 'send',
    message: { type: 'text', text: { body } },
    requiresOpenWindow: true,
  };
}

describe('sending through the Cloud API', () => {
  it('posts to /{version}/{phone-number-id}/messages and stores the message with the id Meta returned', async () => {
    const result = await send(textEffect('Olá! Já vamos te atender 😊'), NOW);
    expect(graphApi.sent).toHaveLength(1);
    expect(graphApi.sent[0]).toMatchObject({
      version: 'v23.0',
      phoneNumberId: '100000000000001',
      body: {
        messaging_product: 'whatsapp',
        to: '5511900000009',
        type: 'text',
        text: { body: 'Olá! Já vamos te atender 😊' },
      },
    });
    expect(result).toEqual({
      type: 'sendWhatsApp',
      waMessageId: graphApi.sent[0]?.messageId,
      refusedReason: null,
    });
    const stored = db.$client
      .prepare(`SELECT direction, text, status FROM messages WHERE wa_message_id = ?`)
      .get(result.type === 'sendWhatsApp' ? result.waMessageId : '');
    expect(stored).toEqual({ direction: 'outbound', text: 'Olá! Já vamos te atender 😊', status: 'sent' });
  });

  it('refuses a free-form message outside the 24-hour window without calling Meta', async () => {
    const result = await send(textEffect('late'), NOW - 60_000 + CUSTOMER_SERVICE_WINDOW_MS);
    expect(result).toMatchObject({ waMessageId: null, refusedReason: expect.stringContaining('24-hour') });
    expect(graphApi.sent).toHaveLength(0);
  });

  it('maps 131047 to a refusal the workflow can branch on, and rate limits to a retry', async () => {
    graphApi.failNext({ code: 131047, httpStatus: 400, message: 'Re-engagement message' });
    expect(await send(textEffect('x'), NOW)).toMatchObject({
      waMessageId: null,
      refusedReason: expect.stringContaining('131047'),
    });
    graphApi.failNext({ code: 130429, httpStatus: 400, message: 'Rate limit hit' });
    await expect(send(textEffect('y'), NOW)).rejects.toThrow(/130429/);
  });
});
