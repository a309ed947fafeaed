import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../../src/api/httpError';
import { mediaRoutes } from '../../src/whatsapp/media/mediaRoutes';
import { createCloudApiClient } from '../../src/whatsapp/outbound/cloudApiClient';
import { createTemplateStore } from '../../src/whatsapp/outbound/messageTemplates';
import { outboundRoutes } from '../../src/whatsapp/outbound/outboundRoutes';
import { createOutboundSender } from '../../src/whatsapp/outbound/outboundSender';
import { addConversation, outboundFixture } from '../support/outboundFixture';

let fixture: Awaited<ReturnType<typeof outboundFixture>>;
let app: ReturnType<typeof Fastify>;
let open: string;
let closed: string;

/** The outbound and media routes on a sender whose clock is real time, like in production. */
async function routesWith(accessToken: string) {
  const server = Fastify();
  installErrorHandler(server);
  const options = { ...fixture.options, settings: { ...fixture.options.settings, accessToken } };
  delete options.clock;
  const sender = createOutboundSender(fixture.db, options);
  await server.register(outboundRoutes, {
    db: fixture.db,
    sender,
    templates: createTemplateStore(fixture.db),
  });
  await server.register(mediaRoutes, {
    api: createCloudApiClient(options.settings),
    configured: Boolean(accessToken),
  });
  return server;
}

beforeEach(async () => {
  fixture = await outboundFixture();
  // The routes judge the window by real time.
  open = addConversation(fixture.db, '5511900000001', Date.now() - 60 * 60_000);
  closed = addConversation(fixture.db, '5511900000002', Date.now() - 30 * 3_600_000);
  app = await routesWith(fixture.options.settings.accessToken);
});
afterEach(async () => {
  await app.close();
  await fixture.close();
});

const reply = (conversationId: string, payload: unknown) =>
  app.inject({
    method: 'POST',
    url: `/api/conversations/${conversationId}/messages`,
    payload: payload as object,
  });

describe('an agent replies from the inbox', () => {
  it('inside the window: the text goes out and the stored outbound message comes back', async () => {
    const response = await reply(open, { agentId: 'agent_ana', text: 'Oi! Vou verificar seu pedido.' });
    expect(response.statusCode).toBe(201);
    const { message } = response.json();
    expect(message).toMatchObject({
      conversationId: open,
      direction: 'outbound',
      type: 'text',
      text: 'Oi! Vou verificar seu pedido.',
      status: 'sent',
      authorAgentId: 'agent_ana',
      waMessageId: fixture.graphApi.sent[0]?.messageId,
    });
    const stored = fixture.db.$client
      .prepare(`SELECT author_agent_id, status FROM messages WHERE wa_message_id = ?`)
      .get(message.waMessageId);
    expect(stored).toEqual({ author_agent_id: 'agent_ana', status: 'sent' });
  });

  it('outside the window: 422 naming the window, when it closed, and the approved templates', async () => {
    const response = await reply(closed, { text: 'Are you there?' });
    expect(response.statusCode).toBe(422);
    const body = response.json();
    expect(body.error).toMatchObject({ code: 'outside_customer_service_window', field: 'text' });
    expect(body.error.message).toMatch(/24-hour customer-service window/);
    expect(body.window).toMatchObject({ open: false });
    expect(body.window.closesAt).toBeLessThan(Date.now());
    expect(body.templates.map((t: { name: string; language: string }) => `${t.name}/${t.language}`)).toEqual([
      'follow_up/en_US',
      'follow_up/pt_BR',
      'order_update/en_US',
      'satisfaction_survey/en_US',
    ]);
    expect(fixture.graphApi.messageRequests).toBe(0);
  });

  it('outside the window an approved template goes out, with its variables, and the inbox sees its text', async () => {
    const response = await reply(closed, {
      agentId: 'agent_ana',
      template: { name: 'follow_up', language: 'pt_BR', variables: ['Maria', 'Ana'] },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().message.text).toBe(
      'Olá Maria, aqui é Ana do suporte Switchboard. Ainda precisa de ajuda? Responda para continuarmos.',
    );
    expect(fixture.graphApi.sent[0]?.body).toMatchObject({
      type: 'template',
      template: {
        name: 'follow_up',
        language: { code: 'pt_BR' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Maria' },
              { type: 'text', text: 'Ana' },
            ],
          },
        ],
      },
    });
  });

  it('refuses a template that is not approved, or given the wrong number of variables, naming the field', async () => {
    const unknown = await reply(closed, { template: { name: 'black_friday', language: 'en_US' } });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error).toMatchObject({ code: 'template_not_approved', field: 'template.name' });
    const short = await reply(closed, {
      template: { name: 'follow_up', language: 'en_US', variables: ['Maria'] },
    });
    expect(short.statusCode).toBe(422);
    expect(short.json().error).toMatchObject({ code: 'template_variables', field: 'template.variables' });
    expect(short.json().error.message).toMatch(/needs 2 variable\(s\), got 1/);
  });

  it('bad requests get 400 naming the field; unknown conversations and agents 404', async () => {
    const both = await reply(open, { text: 'x', template: { name: 'follow_up', language: 'en_US' } });
    expect(both.statusCode).toBe(400);
    expect(both.json().error).toMatchObject({ code: 'invalid_request', field: 'text' });
    const tooLong = await reply(open, { text: 'a'.repeat(4097) });
    expect(tooLong.json().error).toMatchObject({ code: 'invalid_request', field: 'text' });
    const extra = await reply(open, { text: 'x', colour: 'red' });
    expect(extra.statusCode).toBe(400);
    expect((await reply('nope', { text: 'x' })).json().error).toMatchObject({
      code: 'conversation_not_found',
    });
    const agent = await reply(open, { text: 'x', agentId: 'agent_nobody' });
    expect(agent.statusCode).toBe(404);
    expect(agent.json().error.field).toBe('agentId');
  });

  it("Meta's errors come back as clear replies: 131026 → 422, 130429 persisting → 429, 190 → 502", async () => {
    fixture.graphApi.failNext({ code: 131026 });
    const undeliverable = await reply(open, { text: 'x' });
    expect(undeliverable.statusCode).toBe(422);
    expect(undeliverable.json()).toMatchObject({
      error: { code: 'whatsapp_undeliverable' },
      cloudApiCode: 131026,
    });

    const limited = await routesWith(fixture.options.settings.accessToken);
    fixture.graphApi.failNext({ code: 130429 }, 4);
    const rateLimited = await limited.inject({
      method: 'POST',
      url: `/api/conversations/${open}/messages`,
      payload: { text: 'y' },
    });
    expect(rateLimited.statusCode).toBe(429);
    expect(rateLimited.headers['retry-after']).toBeDefined();
    await limited.close();

    const badToken = await routesWith('EAAG-expired');
    const rejected = await badToken.inject({
      method: 'POST',
      url: `/api/conversations/${open}/messages`,
      payload: { text: 'z' },
    });
    expect(rejected.statusCode).toBe(502);
    expect(rejected.json().error.code).toBe('whatsapp_token_rejected');
    expect(rejected.json().error.message).toMatch(/WHATSAPP_ACCESS_TOKEN/);
    await badToken.close();
  });
});

describe('the 24-hour window of a conversation', () => {
  it('is open with the instant it closes, or closed', async () => {
    const openWindow = (await app.inject({ url: `/api/conversations/${open}/window` })).json();
    expect(openWindow.open).toBe(true);
    expect(openWindow.closesAt - openWindow.lastInboundAt).toBe(24 * 3_600_000);
    expect((await app.inject({ url: `/api/conversations/${closed}/window` })).json().open).toBe(false);
    expect((await app.inject({ url: '/api/conversations/nope/window' })).statusCode).toBe(404);
  });
});

describe("marking the customer's messages read", () => {
  it('marks the latest inbound message read at Meta', async () => {
    fixture.db.$client
      .prepare(
        `INSERT INTO messages (id, wa_message_id, conversation_id, direction, type, text, payload, sent_at)
         VALUES ('m1', 'wamid.IN-LATEST', ?, 'inbound', 'text', 'oi', '{}', ?)`,
      )
      .run(open, Date.now());
    const response = await app.inject({
      method: 'POST',
      url: `/api/conversations/${open}/read`,
      payload: {},
    });
    expect(response.statusCode).toBe(200);
    expect(fixture.graphApi.markedRead).toEqual(['wamid.IN-LATEST']);
  });
});

describe('media through the Graph API flow', () => {
  it('streams the file from the media URL with its content type', async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    const mediaId = fixture.graphApi.addMedia(bytes, 'image/jpeg', '1234567890');
    const response = await app.inject({ url: `/api/media/${mediaId}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    expect(response.rawPayload.equals(bytes)).toBe(true);
  });

  it('unknown media → 404 naming the id; a rejected token → 502 naming the setting; no token → 503', async () => {
    const unknown = await app.inject({ url: '/api/media/999' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'media_not_found', field: 'mediaId' });

    fixture.graphApi.addMedia(Buffer.from('x'), 'audio/ogg', '555');
    const badToken = await routesWith('EAAG-expired');
    const rejected = await badToken.inject({ url: '/api/media/555' });
    expect(rejected.statusCode).toBe(502);
    expect(rejected.json().error.code).toBe('whatsapp_token_rejected');
    await badToken.close();

    const unconfigured = await routesWith('');
    expect((await unconfigured.inject({ url: '/api/media/555' })).json().error.code).toBe(
      'whatsapp_not_configured',
    );
    await unconfigured.close();

    expect((await app.inject({ url: '/api/media/..%2Fsecrets' })).statusCode).toBe(400);
  });
});
