import type { WorkflowGraph } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import type { GraphApiSimulator } from '../../src/whatsapp/simulator/graphApiSimulator';
import { eventually, postInboundText, startTestRuntime } from '../support/runtimeHarness';

let app: Awaited<ReturnType<typeof startTestRuntime>>;
let graphApi: GraphApiSimulator;

/** new conversation → greet the customer by name on WhatsApp → assign round-robin. */
function greetThenAssign(): WorkflowGraph {
  const node = (id: string, type: string, y: number, config: Record<string, unknown> = {}) => ({
    id,
    type,
    typeVersion: 1,
    position: { x: 0, y },
    config,
  });
  return {
    nodes: [
      node('new_conversation', 'trigger.newConversation', 0),
      node('greet', 'action.sendWhatsApp', 120, {
        kind: 'text',
        text: 'Olá {{contact.name}}, já vamos te atender!',
      }),
      node('assign', 'assign', 240, { strategy: 'round_robin', teamId: 'team_support' }),
    ],
    edges: [
      { id: 'e1', source: 'new_conversation', sourceHandle: 'out', target: 'greet' },
      { id: 'e2', source: 'greet', sourceHandle: 'sent', target: 'assign' },
    ],
  };
}

beforeAll(async () => {
  // No WHATSAPP_ACCESS_TOKEN: the runtime starts its Graph API simulator and the worker process sends to it.
  app = await startTestRuntime(inject('temporalAddress'));
  if (!app.graphApi) throw new Error('the runtime did not start its Graph API simulator');
  graphApi = app.graphApi;
  const published = await app.api(`/api/workflows/${DEMO_WORKFLOW_ID}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ graph: greetThenAssign(), note: 'greet first' }),
  });
  if (published.status !== 201) throw new Error(`publish failed: ${await published.text()}`);
});
afterAll(async () => {
  await app?.cleanup();
});

const outboundOf = (conversationId: string) =>
  app.db.$client
    .prepare(
      `SELECT wa_message_id, text, status, author_agent_id FROM messages
        WHERE conversation_id = ? AND direction = 'outbound' ORDER BY sent_at`,
    )
    .all(conversationId) as {
    wa_message_id: string;
    text: string;
    status: string;
    author_agent_id: string | null;
  }[];

describe("outbound messages reach the Graph API and their statuses come back (real Temporal, the runtime's simulator)", () => {
  it("a workflow's greeting is sent, stored with Meta's id, and followed to 'read' even when statuses arrive out of order", async () => {
    // Meta does not promise order: here 'delivered' arrives after 'read' and must not undo it.
    graphApi.statusSequence = ['sent', 'read', 'delivered'];
    const customer = '5511966660001';
    expect(
      (await postInboundText(app.url, { from: customer, text: 'Oi', profileName: 'Luiza' })).status,
    ).toBe(200);

    const send = await eventually(() => graphApi.sent.find((s) => s.body.to === customer));
    expect(send.body).toMatchObject({
      messaging_product: 'whatsapp',
      type: 'text',
      text: { body: 'Olá Luiza, já vamos te atender!' },
    });
    const conversationId = app.db.$client
      .prepare(`SELECT id FROM conversations WHERE customer_wa_id = ?`)
      .pluck()
      .get(customer) as string;
    await graphApi.statusesSettled();
    const answered = graphApi.statusAnswers.filter((answer) => answer.waMessageId === send.messageId);
    expect(answered.map((answer) => [answer.status, answer.httpStatus])).toEqual([
      ['sent', 200],
      ['read', 200],
      ['delivered', 200],
    ]);
    const [stored] = await eventually(() => {
      const rows = outboundOf(conversationId);
      return rows[0]?.status === 'read' ? rows : undefined;
    });
    expect(stored).toEqual({
      wa_message_id: send.messageId,
      text: 'Olá Luiza, já vamos te atender!',
      status: 'read',
      author_agent_id: null,
    });
    // The execution took the "sent" branch and went on to assign.
    const assigned = await eventually(() =>
      app.db.$client
        .prepare(`SELECT agent_id FROM assignments WHERE conversation_id = ?`)
        .pluck()
        .get(conversationId),
    );
    expect(assigned).toBeTruthy();
  });

  it("an agent's reply is linked the same way: Meta's id stored, statuses applied", async () => {
    graphApi.statusSequence = ['sent', 'delivered', 'read'];
    const customer = '5511966660002';
    await postInboundText(app.url, { from: customer, text: 'Preciso de ajuda' });
    const conversationId = await eventually(
      () =>
        app.db.$client
          .prepare(`SELECT id FROM conversations WHERE customer_wa_id = ?`)
          .pluck()
          .get(customer) as string | undefined,
    );
    const response = await app.api(`/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agentId: 'agent_ben', text: 'Claro! Qual é o número do pedido?' }),
    });
    expect(response.status).toBe(201);
    const { message } = await response.json();
    await graphApi.statusesSettled();
    const row = await eventually(() =>
      outboundOf(conversationId).find((r) => r.wa_message_id === message.waMessageId && r.status === 'read'),
    );
    expect(row.author_agent_id).toBe('agent_ben');
  });

  it('a failed delivery is stored with its error and routed as a delivery-failed event', async () => {
    const customer = '5511966660003';
    graphApi.failRecipient(customer, { code: 131026, via: 'status' });
    await postInboundText(app.url, { from: customer, text: 'Olá' });
    const send = await eventually(() => graphApi.sent.find((s) => s.body.to === customer));
    await graphApi.statusesSettled();
    const row = await eventually(
      () =>
        app.db.$client
          .prepare(`SELECT status, status_errors FROM messages WHERE wa_message_id = ? AND status = 'failed'`)
          .get(send.messageId) as { status: string; status_errors: string } | undefined,
    );
    expect(JSON.parse(row.status_errors)).toEqual([expect.objectContaining({ code: 131026 })]);
    const routed = app.db.$client
      .prepare(`SELECT payload FROM outbox WHERE payload ->> '$.type' = 'message.deliveryFailed'`)
      .pluck()
      .all()
      .map((payload) => JSON.parse(payload as string));
    expect(routed).toContainEqual(expect.objectContaining({ messageId: send.messageId, errorCode: 131026 }));
  });
});
