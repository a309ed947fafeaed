import type { WorkflowGraph } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import { GraphApiSimulator } from '../../src/whatsapp/simulator/graphApiSimulator';
import { eventually, postInboundText, startTestRuntime } from '../support/runtimeHarness';

const TOKEN = 'redrive-test-token';
let app: Awaited<ReturnType<typeof startTestRuntime>>;
let graphApi: GraphApiSimulator;

// new conversation → greet on WhatsApp → assign round-robin in Support → wait 15 min for an acknowledgement
const greetAndAssign: WorkflowGraph = {
  nodes: [
    { id: 'start', type: 'trigger.newConversation', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
    {
      id: 'greet',
      type: 'action.sendWhatsApp',
      typeVersion: 1,
      position: { x: 0, y: 100 },
      config: { kind: 'text', text: 'Thanks, an agent will be with you shortly.' },
    },
    {
      id: 'assign',
      type: 'assign',
      typeVersion: 1,
      position: { x: 0, y: 200 },
      config: { strategy: 'round_robin', teamId: 'team_support' },
    },
    {
      id: 'ack',
      type: 'flow.waitForAcknowledgement',
      typeVersion: 1,
      position: { x: 0, y: 300 },
      config: { timeoutMinutes: 15 },
    },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'out', target: 'greet' },
    { id: 'e2', source: 'greet', sourceHandle: 'sent', target: 'assign' },
    { id: 'e3', source: 'assign', sourceHandle: 'assigned', target: 'ack' },
  ],
};

beforeAll(async () => {
  graphApi = new GraphApiSimulator(TOKEN);
  const graphApiUrl = await graphApi.start();
  app = await startTestRuntime(inject('temporalAddress'), {
    WHATSAPP_API_BASE_URL: graphApiUrl,
    WHATSAPP_ACCESS_TOKEN: TOKEN,
  });
  const published = await app.api(`/api/workflows/${DEMO_WORKFLOW_ID}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ graph: greetAndAssign, note: 'greet, then assign' }),
  });
  expect(published.status).toBe(201);
});
afterAll(async () => {
  await app?.cleanup();
  await graphApi?.stop();
});

const sql = <T>(query: string, ...params: unknown[]) =>
  app.db.$client
    .prepare(query)
    .pluck()
    .get(...params) as T;
const conversationOf = (waId: string) =>
  sql<string | undefined>(`SELECT id FROM conversations WHERE customer_wa_id = ?`, waId);
const assignmentsOf = (conversationId: string) =>
  sql<number>(`SELECT count(*) FROM assignments WHERE conversation_id = ?`, conversationId);
const sendsTo = (waId: string) => graphApi.sent.filter((send) => send.body.to === waId).length;
const post = (path: string, body: unknown) =>
  app.api(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('re-drive after an outage', () => {
  const lost = ['5511900000101', '5511900000102', '5511900000103'];
  const routed = '5511900000100';

  it('routes the events an outage dropped, once: no customer greeted twice, no conversation assigned twice', async () => {
    const from = Date.now() - 1;
    // Before the outage: routed normally.
    await postInboundText(app.url, { from: routed, text: 'oi' });
    const routedConversation = await eventually(() => conversationOf(routed));
    await eventually(() => (assignmentsOf(routedConversation) === 1 ? true : undefined));

    // The outage: nothing published while these arrive, so the shards drop them.
    app.db.$client.prepare(`UPDATE workflows SET status = 'draft' WHERE id = ?`).run(DEMO_WORKFLOW_ID);
    for (const waId of lost) await postInboundText(app.url, { from: waId, text: 'hello?' });
    await eventually(() =>
      sql<number>(`SELECT count(*) FROM outbox WHERE dispatched_at IS NULL`) === 0 ? true : undefined,
    );
    app.db.$client.prepare(`UPDATE workflows SET status = 'published' WHERE id = ?`).run(DEMO_WORKFLOW_ID);
    const lostConversations = lost.map((waId) => conversationOf(waId) ?? '');
    for (const conversationId of lostConversations) expect(assignmentsOf(conversationId)).toBe(0);

    const dry = await post(`/api/workflows/${DEMO_WORKFLOW_ID}/redrive`, {
      from,
      to: Date.now() + 1,
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect((await dry.json()).redriven).toHaveLength(3);

    const reply = await post(`/api/workflows/${DEMO_WORKFLOW_ID}/redrive`, { from, to: Date.now() + 1 });
    expect(reply.status).toBe(202);
    const report = await reply.json();
    expect(report.redriven.map((event: { conversationId: string }) => event.conversationId).sort()).toEqual(
      [...lostConversations].sort(),
    );
    expect(report.skipped.alreadyRouted).toBe(1);
    for (const conversationId of lostConversations)
      await eventually(() => (assignmentsOf(conversationId) === 1 ? true : undefined));
    for (const waId of lost) await eventually(() => (sendsTo(waId) === 1 ? true : undefined));

    // Re-driving the same range again queues nothing.
    const again = await (
      await post(`/api/workflows/${DEMO_WORKFLOW_ID}/redrive`, { from, to: Date.now() + 1 })
    ).json();
    expect(again.redriven).toEqual([]);
    expect(again.skipped).toMatchObject({ alreadyRedriven: 3, alreadyRouted: 1 });
    // Give anything wrongly queued time to act, then count again.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const conversationId of [...lostConversations, routedConversation])
      expect(assignmentsOf(conversationId)).toBe(1);
    for (const waId of [...lost, routed]) expect(sendsTo(waId)).toBe(1);
  });

  it('cancel stops a waiting execution in its shard, and the trace says who stopped it', async () => {
    const conversationId = conversationOf(lost[0] ?? '') ?? '';
    const list = await (
      await app.api(`/api/executions?conversationId=${conversationId}&status=waiting`)
    ).json();
    expect(list.executions).toHaveLength(1);
    const executionId = list.executions[0].id;
    const cancel = await post(`/api/executions/${encodeURIComponent(executionId)}/cancel`, {
      requestedBy: 'admin@demo',
    });
    expect(cancel.status).toBe(202);
    await eventually(() =>
      sql<string>(`SELECT status FROM executions WHERE id = ?`, executionId) === 'cancelled'
        ? true
        : undefined,
    );
    const trace = await (await app.api(`/api/executions/${encodeURIComponent(executionId)}`)).json();
    expect(trace.steps.at(-1)).toMatchObject({
      nodeId: 'ack',
      status: 'cancelled',
      cause: 'cancel by admin@demo',
    });
    expect(trace.path).toEqual(['start', 'greet', 'assign', 'ack']);
    expect(trace.assignments).toHaveLength(1);
    expect(trace.temporal.workflowId).toMatch(/-shard-\d+$/);
    // Applied, so no later shard run reads the request again.
    expect(
      sql<number>(`SELECT count(*) FROM execution_stop_requests WHERE execution_id = ?`, executionId),
    ).toBe(0);
    // A second cancel finds nothing running.
    expect((await post(`/api/executions/${encodeURIComponent(executionId)}/cancel`, {})).status).toBe(409);
  });

  it('retry from a node starts a new execution there: assigned again, not greeted again', async () => {
    const waId = lost[0] ?? '';
    const conversationId = conversationOf(waId) ?? '';
    const cancelled = await (
      await app.api(`/api/executions?conversationId=${conversationId}&status=cancelled`)
    ).json();
    const executionId = cancelled.executions[0].id;
    const reply = await post(`/api/executions/${encodeURIComponent(executionId)}/retry`, {
      nodeId: 'assign',
      requestedBy: 'admin@demo',
    });
    expect(reply.status).toBe(202);
    await eventually(() => (assignmentsOf(conversationId) === 2 ? true : undefined));
    const retried = await eventually(async () => {
      const list = await (
        await app.api(`/api/executions?conversationId=${conversationId}&status=waiting`)
      ).json();
      return list.executions[0];
    });
    expect(retried.id).not.toBe(executionId);
    // The steps after the assignment are written with the shard's next activity call, or alone
    // within 200 ms: wait for the execution to stand at the acknowledgement wait.
    const trace = await eventually(async () => {
      const found = await (await app.api(`/api/executions/${encodeURIComponent(retried.id)}`)).json();
      return found.path.length >= 2 ? found : undefined;
    });
    expect(trace.path).toEqual(['assign', 'ack']);
    expect(sendsTo(waId)).toBe(1);
  });
});
