import type { ConversationComparison, WorkflowGraph } from '@switchboard/shared';
import Fastify from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../../src/api/httpError';
import type { AppDatabase } from '../../src/db/database';
import { recordDemoTraffic } from '../../src/demo/demoTraffic';
import { DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import { createReplayJobs, type ReplayJobs } from '../../src/replay/replayJobs';
import { replayRoutes } from '../../src/replay/replayRoutes';
import { createWebhookIngest } from '../../src/whatsapp/ingest';
import type { WorkflowStore } from '../../src/workflows/workflowStore';
import { demoDatabase } from '../support/testDatabase';

const START = Date.UTC(2026, 10, 2, 9, 0, 0);
const MINUTE = 60_000;

let db: AppDatabase;
let workflows: WorkflowStore;
let jobs: ReplayJobs;
let app: ReturnType<typeof Fastify>;

beforeEach(async () => {
  ({ db, workflows } = demoDatabase());
  // Small slices: a run of 5,000 events spans many event-loop turns, so the cancel request (a few
  // turns of its own) reliably arrives while it runs; with 2,000 a loaded machine finished first.
  jobs = createReplayJobs(db, pino({ level: 'silent' }), { eventsPerSlice: 100 });
  app = Fastify();
  installErrorHandler(app);
  await app.register(replayRoutes, { workflows, jobs });
});
afterEach(async () => {
  await jobs.stop();
  await app.close();
  db.$client.close();
});

function assignGraph(config: Record<string, unknown>, extra: { tag?: string } = {}): WorkflowGraph {
  const nodes: WorkflowGraph['nodes'] = [
    { id: 'start', type: 'trigger.newConversation', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
    { id: 'assign', type: 'assign', typeVersion: 1, position: { x: 0, y: 200 }, config },
  ];
  const edges: WorkflowGraph['edges'] = [
    { id: 'e1', source: 'start', sourceHandle: 'out', target: 'assign' },
  ];
  if (extra.tag) {
    nodes.push({
      id: 'tag',
      type: 'action.tag',
      typeVersion: 1,
      position: { x: 0, y: 100 },
      config: { tag: extra.tag },
    });
    edges[0] = { id: 'e1', source: 'start', sourceHandle: 'out', target: 'tag' };
    edges.push({ id: 'e2', source: 'tag', sourceHandle: 'out', target: 'assign' });
  }
  return { nodes, edges };
}

function publish(graph: WorkflowGraph): number {
  return workflows.publish(DEMO_WORKFLOW_ID, graph, 'test', null, Date.now()).number;
}

async function replay(body: Record<string, unknown>) {
  const reply = await app.inject({
    method: 'POST',
    url: `/api/workflows/${DEMO_WORKFLOW_ID}/replays`,
    payload: body,
  });
  expect(reply.statusCode).toBe(202);
  const { run } = reply.json();
  await jobs.settled(run.id);
  return jobs.get(run.id);
}

async function comparisons(runId: string, changedOnly = false): Promise<ConversationComparison[]> {
  const reply = await app.inject({
    url: `/api/replays/${runId}/conversations?limit=1000&changedOnly=${changedOnly}`,
  });
  return reply.json().conversations;
}

describe('shadow replay', () => {
  it('eight recorded conversations moved from Support round-robin to Sales: who would have got each, and the load', async () => {
    recordDemoTraffic(createWebhookIngest(db, 8), { conversations: 8, startAt: START, spacingMs: MINUTE });
    const target = publish(assignGraph({ strategy: 'round_robin', teamId: 'team_sales' }, { tag: 'sales' }));

    const run = await replay({ from: START, to: START + 60 * MINUTE, targetVersion: target });
    expect(run).toMatchObject({ status: 'completed', totalEvents: 8, processedEvents: 8 });
    const rows = await comparisons(run?.id ?? '');
    expect(rows).toHaveLength(8);
    // The baseline is v1: the demo's round-robin over the four Support agents, in id order.
    const before = rows.map((row) => row.before.assigneeId);
    const after = rows.map((row) => row.after.assigneeId);
    expect(new Set(before)).toEqual(new Set(['agent_ana', 'agent_ben', 'agent_chloe', 'agent_dev']));
    expect(after.filter((id) => id === 'agent_emma')).toHaveLength(4);
    expect(after.filter((id) => id === 'agent_farah')).toHaveLength(4);
    expect(rows.every((row) => row.after.teamId === 'team_sales' && row.after.tags.includes('sales'))).toBe(
      true,
    );
    expect(
      rows.every((row) => row.differences.includes('assignee') && row.differences.includes('tags')),
    ).toBe(true);

    expect(run?.totals).toMatchObject({
      events: 8,
      conversations: 8,
      assignmentsChanged: 8,
      loadPerAgent: {
        agent_ana: { before: { assigned: 2, openAtEnd: 2 }, after: { assigned: 0, openAtEnd: 0 } },
        agent_emma: { before: { assigned: 0 }, after: { assigned: 4, openAtEnd: 4 } },
      },
    });
    // Nothing was carried out: no assignment row, no tag on any real conversation.
    expect(db.$client.prepare('SELECT count(*) FROM assignments').pluck().get()).toBe(0);
    expect(db.$client.prepare(`SELECT count(*) FROM conversations WHERE tags != '[]'`).pluck().get()).toBe(0);
  });

  it('reconstructs load as of the start: an agent who already owned open conversations gets fewer new ones', async () => {
    // Before the range, Ana was given 3 conversations that are still open.
    recordDemoTraffic(createWebhookIngest(db, 8), {
      conversations: 3,
      startAt: START - 30 * MINUTE,
      spacingMs: MINUTE,
      customerPrefix: '44',
    });
    const earlier = db.$client.prepare('SELECT id FROM conversations').pluck().all() as string[];
    earlier.forEach((conversationId, i) => {
      db.$client
        .prepare(
          `INSERT INTO assignments (id, effect_key, conversation_id, agent_id, team_id, workflow_version_id, execution_id, node_id, explanation, created_at)
           VALUES (?, ?, ?, 'agent_ana', 'team_support', 'v', 'x', 'n', '{}', ?)`,
        )
        .run(`old${i}`, `old${i}`, conversationId, START - 20 * MINUTE);
      db.$client
        .prepare(`UPDATE conversations SET assignee_agent_id = 'agent_ana' WHERE id = ?`)
        .run(conversationId);
    });
    recordDemoTraffic(createWebhookIngest(db, 8), { conversations: 4, startAt: START, spacingMs: MINUTE });
    const target = publish(assignGraph({ strategy: 'least_loaded', teamId: 'team_support' }));

    const run = await replay({ from: START, to: START + 60 * MINUTE, targetVersion: target });
    const rows = await comparisons(run?.id ?? '');
    expect(rows).toHaveLength(4);
    // Least loaded spreads the four over Ben, Chloé and Dev (each at 0 or 1) before Ana (at 3).
    expect(rows.map((row) => row.after.assigneeId)).not.toContain('agent_ana');
    expect(run?.totals?.loadPerAgent.agent_ana?.after.openAtEnd).toBe(3);
  });

  it('an agent offline now is skipped, as the engine would skip them', async () => {
    recordDemoTraffic(createWebhookIngest(db, 8), { conversations: 4, startAt: START, spacingMs: MINUTE });
    db.$client.prepare(`UPDATE agents SET status = 'offline' WHERE id = 'agent_ben'`).run();
    const run = await replay({
      from: START,
      to: START + 60 * MINUTE,
      draftGraph: assignGraph({ strategy: 'round_robin', teamId: 'team_support' }),
    });
    const rows = await comparisons(run?.id ?? '');
    expect(rows.map((row) => row.after.assigneeId)).not.toContain('agent_ben');
    // Same graph as v1 and the same world: nothing changes.
    expect(run?.totals?.assignmentsChanged).toBe(0);
    expect(await comparisons(run?.id ?? '', true)).toEqual([]);
  });

  it('exports the results as CSV and JSON', async () => {
    recordDemoTraffic(createWebhookIngest(db, 8), { conversations: 3, startAt: START, spacingMs: MINUTE });
    const target = publish(assignGraph({ strategy: 'round_robin', teamId: 'team_sales' }));
    const run = await replay({ from: START, to: START + 60 * MINUTE, targetVersion: target });
    const csv = await app.inject({ url: `/api/replays/${run?.id}/export?format=csv` });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'conversation_id,recorded_assignee,assignee_before,assignee_after,team_before,team_after,tags_before,tags_after,escalations_before,escalations_after,sla_breaches_before,sla_breaches_after,differences',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/,agent_(emma|farah),team_support,team_sales,/);
    const json = await app.inject({ url: `/api/replays/${run?.id}/export?format=json` });
    expect(json.json().conversations).toHaveLength(3);
    expect(json.json().run.totals.assignmentsChanged).toBe(3);
  });

  it('a long replay can be cancelled while it runs, and keeps its progress', async () => {
    recordDemoTraffic(createWebhookIngest(db, 8), { conversations: 5000, startAt: START, spacingMs: 100 });
    const target = publish(assignGraph({ strategy: 'least_loaded', teamId: 'team_support' }));
    const started = await app.inject({
      method: 'POST',
      url: `/api/workflows/${DEMO_WORKFLOW_ID}/replays`,
      payload: { from: START, to: START + 3_600_000, targetVersion: target },
    });
    const { run } = started.json();
    const cancel = await app.inject({ method: 'POST', url: `/api/replays/${run.id}/cancel` });
    expect(cancel.statusCode).toBe(202);
    await jobs.settled(run.id);
    const stored = jobs.get(run.id);
    expect(stored?.status).toBe('cancelled');
    expect(stored?.totalEvents).toBe(5000);
    expect(stored?.processedEvents).toBeGreaterThan(0);
    expect(stored?.processedEvents).toBeLessThan(5000);
    const again = await app.inject({ method: 'POST', url: `/api/replays/${run.id}/cancel` });
    expect(again.statusCode).toBe(409);
    const exported = await app.inject({ url: `/api/replays/${run.id}/export?format=csv` });
    expect(exported.statusCode).toBe(409);
  });

  it('refuses a bad request with the field at fault', async () => {
    const post = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: `/api/workflows/${DEMO_WORKFLOW_ID}/replays`, payload });
    expect((await post({ from: 10, to: 5, targetVersion: 1 })).json().error).toMatchObject({ field: 'to' });
    expect((await post({ from: 1, to: 5 })).json().error).toMatchObject({ code: 'invalid_target' });
    expect((await post({ from: 1, to: 5, targetVersion: 9 })).json().error).toMatchObject({
      field: 'targetVersion',
    });
    const draft = await post({
      from: 1,
      to: 5,
      draftGraph: assignGraph({ strategy: 'round_robin', teamId: '' }),
    });
    expect(draft.statusCode).toBe(422);
    expect(draft.json().error.field).toBe('draftGraph');
    expect((await app.inject({ url: '/api/replays/nope' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/workflows/wf_nope/replays' })).json().error.field).toBe(
      'workflowId',
    );
  });
});
