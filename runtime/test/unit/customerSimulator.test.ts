import { afterEach, describe, expect, it } from 'vitest';
import { customerSimulatorEnabled, loadConfig } from '../../src/config';
import { DEMO_BUSINESS_NUMBER_ID } from '../../src/demo/seedDemo';
import { customerRoutes } from '../../src/whatsapp/simulator/customerRoutes';
import { count } from '../support/testDatabase';
import { WEBHOOK_TEST_SECRET, type WebhookTestApp, webhookTestApp } from '../support/webhookApp';

let harness: WebhookTestApp;
afterEach(() => harness.close());

async function simulatorApp(enabled: boolean, appSecret = WEBHOOK_TEST_SECRET) {
  harness = await webhookTestApp(64 * 1024);
  await harness.app.register(customerRoutes, { db: harness.db, appSecret, enabled });
  return harness;
}

function postCustomer(body: unknown) {
  return harness.app.inject({
    method: 'POST',
    url: '/api/simulator/customer-messages',
    payload: body as object,
  });
}

describe('the customer simulator endpoint (behind the app’s /simulator panel)', () => {
  it('posts a signed location through the real webhook path: stored and routed', async () => {
    await simulatorApp(true);
    const reply = await postCustomer({
      from: '5511955554444',
      profileName: 'Bia',
      message: { kind: 'location', latitude: 38.7223, longitude: -9.1393, name: 'Lisbon office' },
    });
    expect(reply.statusCode).toBe(201);
    const { messageId, phoneNumberId, webhook } = reply.json();
    expect(phoneNumberId).toBe(DEMO_BUSINESS_NUMBER_ID);
    expect(webhook).toMatchObject({ status: 200, reply: { messagesStored: 1 } });
    const row = harness.db.$client
      .prepare('SELECT type, text FROM messages WHERE wa_message_id = ?')
      .get(messageId);
    expect(row).toEqual({ type: 'location', text: 'Lisbon office' });
    expect(count(harness.db, 'outbox')).toBe(1);
  });

  it('signs with the configured secret: a runtime with another secret refuses the webhook', async () => {
    await simulatorApp(true, 'some-other-secret');
    const reply = await postCustomer({ from: '5511955554444', message: { kind: 'text', body: 'hi' } });
    expect(reply.statusCode).toBe(502);
    expect(reply.json().webhook).toMatchObject({
      status: 401,
      reply: { error: { code: 'invalid_signature' } },
    });
    expect(count(harness.db, 'messages')).toBe(0);
  });

  it('400 naming the field for a message that makes no sense', async () => {
    await simulatorApp(true);
    const reply = await postCustomer({
      from: '5511955554444',
      message: { kind: 'location', latitude: 123, longitude: 0 },
    });
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error).toMatchObject({ code: 'invalid_customer_message', field: 'message.latitude' });
    const unknownKind = await postCustomer({ from: '5511955554444', message: { kind: 'poll' } });
    expect(unknownKind.json().error.field).toBe('message.kind');
  });

  it('404 with the reason when the simulator is off; GET /api/simulator says so', async () => {
    await simulatorApp(false);
    const reply = await postCustomer({ from: '5511955554444', message: { kind: 'text', body: 'hi' } });
    expect(reply.statusCode).toBe(404);
    expect(reply.json().error).toMatchObject({ code: 'simulator_disabled' });
    expect(reply.json().error.message).toContain('CUSTOMER_SIMULATOR=true');
    const state = await harness.app.inject({ url: '/api/simulator' });
    expect(state.json()).toMatchObject({ enabled: false, businessNumbers: [] });
  });

  it('is on in demo mode or with the demo secret, off with real credentials unless asked for', () => {
    expect(customerSimulatorEnabled(loadConfig({}))).toBe(true);
    expect(customerSimulatorEnabled(loadConfig({ DEMO: 'false' }))).toBe(true);
    expect(customerSimulatorEnabled(loadConfig({ DEMO: 'false', WHATSAPP_APP_SECRET: 'real' }))).toBe(false);
    expect(
      customerSimulatorEnabled(
        loadConfig({ DEMO: 'false', WHATSAPP_APP_SECRET: 'real', CUSTOMER_SIMULATOR: 'true' }),
      ),
    ).toBe(true);
    expect(customerSimulatorEnabled(loadConfig({ CUSTOMER_SIMULATOR: 'false' }))).toBe(false);
  });
});
