import type { SocketMessage } from '@switchboard/shared';
import { shardOf } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { type routerShard, routerWorkflowId, shardStatusQuery } from '../../src/routing/routerWorkflow';
import { adminHeaders, eventually, postInboundText, startTestRuntime } from '../support/runtimeHarness';

let app: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  app = await startTestRuntime(inject('temporalAddress'));
});
afterAll(async () => {
  await app?.cleanup();
});

const assignmentsOf = (conversationId: string) =>
  app.db.$client
    .prepare(`SELECT agent_id, explanation FROM assignments WHERE conversation_id = ?`)
    .all(conversationId) as { agent_id: string; explanation: string }[];

const conversationOf = (waId: string) =>
  app.db.$client.prepare(`SELECT id FROM conversations WHERE customer_wa_id = ?`).pluck().get(waId) as
    | string
    | undefined;

describe('a signed webhook is routed end to end through a real Temporal router shard', () => {
  it('assigns the conversation, explains why, and pushes it to the agent socket', async () => {
    const socket = new WebSocket(`${app.url.replace('http', 'ws')}/ws?agentId=agent_ana`, {
      headers: adminHeaders(app.env),
    });
    const received: SocketMessage[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data))));
    await eventually(() => (received.some((m) => m.type === 'hello') ? true : undefined));

    const reply = await postInboundText(app.url, {
      from: '5511988887777',
      text: 'Preciso de ajuda',
      profileName: 'Joana',
    });
    expect(reply.status).toBe(200);

    const conversationId = await eventually(() => conversationOf('5511988887777'));
    const [assignment] = await eventually(() => {
      const rows = assignmentsOf(conversationId);
      return rows.length ? rows : undefined;
    });
    expect(assignment?.agent_id).toBe('agent_ana');
    const explanation = JSON.parse(assignment?.explanation ?? '{}');
    expect(explanation).toMatchObject({
      strategy: 'round_robin',
      teamId: 'team_support',
      path: ['new_conversation', 'assign_support'],
      chosenAgentId: 'agent_ana',
    });
    expect(explanation.candidates).toHaveLength(4);

    const pushed = await eventually(() => received.find((m) => m.type === 'assignment.created'));
    expect(pushed).toMatchObject({
      type: 'assignment.created',
      assignment: {
        conversationId,
        agentId: 'agent_ana',
        customer: { waId: '5511988887777', name: 'Joana' },
        preview: 'Preciso de ajuda',
      },
    });
    socket.close();

    // The execution trace is recorded and the execution completed.
    const steps = await eventually(() => {
      const rows = app.db.$client
        .prepare(`SELECT s.node_id, s.status, s.output FROM execution_steps s JOIN executions e ON e.id = s.execution_id
                   WHERE e.conversation_id = ? AND e.status = 'completed' ORDER BY s.at, s.rowid`)
        .all(conversationId);
      return rows.length === 3 ? rows : undefined;
    });
    expect(steps).toEqual([
      { node_id: 'new_conversation', status: 'passed', output: 'out' },
      { node_id: 'assign_support', status: 'waiting', output: null },
      { node_id: 'assign_support', status: 'passed', output: 'assigned' },
    ]);

    // The shard workflow that routed it is running on the Temporal server.
    const shard = shardOf(conversationId, app.shardCount);
    const handle = app.client.workflow.getHandle<typeof routerShard>(
      routerWorkflowId(app.env.TEMPORAL_TASK_QUEUE as string, shard),
    );
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.type).toBe('routerShard');
    const status = await handle.query(shardStatusQuery);
    expect(status.routed).toBeGreaterThanOrEqual(1);
  });

  it('routes 40 conversations across shards, each exactly once, round-robin 10 per agent', async () => {
    const before = app.db.$client.prepare(`SELECT count(*) FROM assignments`).pluck().get() as number;
    const customers = Array.from({ length: 40 }, (_, i) => `4477009${String(i).padStart(5, '0')}`);
    const replies = await Promise.all(
      customers.map((from) => postInboundText(app.url, { from, text: 'hi' })),
    );
    expect(replies.every((r) => r.status === 200)).toBe(true);
    // Meta redelivers: post a few of the same bodies again.
    for (const reply of replies.slice(0, 5)) {
      const again = await fetch(`${app.url}/webhooks/whatsapp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': (await import('../../src/whatsapp/signature')).signWebhookBody(
            reply.rawBody,
            'test-app-secret',
          ),
        },
        body: reply.rawBody,
      });
      expect(again.status).toBe(200);
    }

    await eventually(() => {
      const n = app.db.$client.prepare(`SELECT count(*) FROM assignments`).pluck().get() as number;
      return n >= before + 40 ? n : undefined;
    });
    // Give any duplicate a chance to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const perConversation = app.db.$client
      .prepare(
        `SELECT c.customer_wa_id AS waId, count(a.id) AS n FROM conversations c LEFT JOIN assignments a ON a.conversation_id = c.id
          WHERE c.customer_wa_id LIKE '4477009%' GROUP BY c.id`,
      )
      .all() as { waId: string; n: number }[];
    expect(perConversation).toHaveLength(40);
    expect(perConversation.every((row) => row.n === 1)).toBe(true);

    const perAgent = app.db.$client
      .prepare(
        `SELECT a.agent_id AS agentId, count(*) AS n FROM assignments a JOIN conversations c ON c.id = a.conversation_id
          WHERE c.customer_wa_id LIKE '4477009%' GROUP BY a.agent_id`,
      )
      .all() as { agentId: string; n: number }[];
    const counts = perAgent.map((row) => row.n);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    const shards = new Set(
      app.db.$client.prepare(`SELECT DISTINCT shard FROM outbox`).pluck().all() as number[],
    );
    expect(shards.size).toBeGreaterThan(1);
  });
});
