import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../../src/api/httpError';
import { createRoutedEventQueue } from '../../src/conversations/routedEventQueue';
import type { AppDatabase } from '../../src/db/database';
import { DEMO_BUSINESS_NUMBER_ID, DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import { createExecutionQueries } from '../../src/executions/executionQueries';
import { type ExecutionRoutesOptions, executionRoutes } from '../../src/executions/executionRoutes';
import { createStopRequestStore, type StopRequestStore } from '../../src/executions/stopRequests';
import type { StopExecutionRequest } from '../../src/routing/routerWorkflow';
import { inboundTextWebhook } from '../../src/whatsapp/inboundPayloads';
import { createWebhookIngest } from '../../src/whatsapp/ingest';
import { demoDatabase } from '../support/testDatabase';

let app: ReturnType<typeof Fastify>;
let db: AppDatabase;
let versionId: string;
let shardReachable: boolean;
const signalled: StopExecutionRequest[] = [];
/** Every test conversation is routed by shard 0 here. */
let stopRequests: StopRequestStore;
/** The executions with a request kept for the shard at the moment it was signalled. */
const keptWhenSignalled: string[][] = [];

beforeEach(async () => {
  const demo = demoDatabase();
  db = demo.db;
  const events = createRoutedEventQueue(db, 8);
  versionId = demo.workflows.list()[0]?.publishedVersion?.id ?? '';
  shardReachable = true;
  signalled.length = 0;
  keptWhenSignalled.length = 0;
  stopRequests = createStopRequestStore(db);
  app = Fastify();
  installErrorHandler(app);
  const options: ExecutionRoutesOptions = {
    queries: createExecutionQueries(db),
    shardLink: (conversationId) => ({
      workflowId: `shard-of-${conversationId}`,
      url: `http://ui/${conversationId}`,
    }),
    recordStop: async (request) => stopRequests.record(0, request, Date.now()),
    stopInShard: async (_workflowId, request) => {
      keptWhenSignalled.push(stopRequests.pendingFor(0).map((kept) => kept.executionId));
      if (!shardReachable) throw new Error('connection refused');
      signalled.push(request);
    },
    graphOf: (id) => demo.workflows.version(id)?.graph ?? null,
    queueRetry: async ({ conversationId, workflowVersionId, nodeId, requestedBy }) =>
      events.enqueue(
        conversationId,
        { type: 'manual.run', occurredAt: 5, requestedBy, startAtNodeId: nodeId },
        { workflowVersionId },
      ),
  };
  await app.register(executionRoutes, options);
});
afterEach(async () => {
  await app.close();
  db.$client.close();
});

function execution(id: string, status: string, startedAt: number, conversationId = `conv-${id}`) {
  db.$client
    .prepare(
      `INSERT INTO executions (id, conversation_id, workflow_version_id, status, started_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(id, conversationId, versionId, status, startedAt, startedAt);
}

describe('execution explorer API', () => {
  it('lists newest first, filtered, in pages that join up without gaps or repeats', async () => {
    for (let i = 1; i <= 7; i++) execution(`e${i}`, i % 2 ? 'waiting' : 'completed', 1000 + i);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `workflowId=${DEMO_WORKFLOW_ID}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const reply = await app.inject({ url: `/api/executions?${query}` });
      expect(reply.statusCode).toBe(200);
      const body = reply.json();
      seen.push(...body.executions.map((e: { id: string }) => e.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['e7', 'e6', 'e5', 'e4', 'e3', 'e2', 'e1']);

    const waiting = (await app.inject({ url: '/api/executions?status=waiting&from=1003&to=1007' })).json();
    expect(waiting.executions.map((e: { id: string }) => e.id)).toEqual(['e5', 'e3']);
    expect(waiting.executions[0]).toMatchObject({ versionNumber: 1, workflowId: DEMO_WORKFLOW_ID });
    const byConversation = (await app.inject({ url: '/api/executions?conversationId=conv-e2' })).json();
    expect(byConversation.executions).toHaveLength(1);
  });

  it('shows one trace: steps in order, the path, the assignment explanation, the shard link', async () => {
    execution('conv-1:5', 'completed', 2000, 'conv-1');
    const step = db.$client.prepare(
      `INSERT INTO execution_steps (key, execution_id, node_id, node_type, status, output, error, cause, at)
       VALUES (?, 'conv-1:5', ?, ?, ?, ?, NULL, ?, ?)`,
    );
    step.run(
      'k1',
      'new_conversation',
      'trigger.newConversation',
      'passed',
      'out',
      'message.received #5',
      2000,
    );
    step.run('k2', 'assign_support', 'assign', 'waiting', null, 'message.received #5', 2000);
    step.run('k3', 'assign_support', 'assign', 'passed', 'assigned', 'effect x: assigned to agent_ana', 2003);
    const explanation = {
      strategy: 'round_robin',
      teamId: 'team_support',
      workflowVersionId: versionId,
      nodeId: 'assign_support',
      path: ['new_conversation', 'assign_support'],
      candidates: [],
      chosenAgentId: 'agent_ana',
      summary: 'Ana was next in the rotation',
    };
    db.$client
      .prepare(
        `INSERT INTO assignments (id, effect_key, conversation_id, agent_id, team_id, workflow_version_id, execution_id, node_id, explanation, created_at)
         VALUES ('a1', 'x', 'conv-1', 'agent_ana', 'team_support', ?, 'conv-1:5', 'assign_support', ?, 2003)`,
      )
      .run(versionId, JSON.stringify(explanation));

    const reply = await app.inject({ url: `/api/executions/${encodeURIComponent('conv-1:5')}` });
    expect(reply.statusCode).toBe(200);
    const trace = reply.json();
    expect(trace.steps.map((s: { key: string }) => s.key)).toEqual(['k1', 'k2', 'k3']);
    expect(trace.path).toEqual(['new_conversation', 'assign_support']);
    expect(trace.assignments[0].explanation.summary).toBe('Ana was next in the rotation');
    expect(trace.temporal).toEqual({ workflowId: 'shard-of-conv-1', url: 'http://ui/conv-1' });
  });

  it('cancel keeps the request for the shard, then asks it; a finished execution cannot be cancelled', async () => {
    execution('live', 'waiting', 1);
    execution('done', 'completed', 1);
    const reply = await app.inject({
      method: 'POST',
      url: '/api/executions/live/cancel',
      payload: { requestedBy: 'admin' },
    });
    expect(reply.statusCode).toBe(202);
    expect(signalled).toEqual([
      { conversationId: 'conv-live', executionId: 'live', mode: 'cancel', requestedBy: 'admin' },
    ]);
    // Kept before the signal went, so a shard run that never gets the signal still finds it.
    expect(keptWhenSignalled).toEqual([['live']]);
    expect(stopRequests.pendingFor(0)).toEqual(signalled);
    // The shard records the cancellation itself; until then the row is unchanged.
    expect(createExecutionQueries(db).byId('live')?.status).toBe('waiting');
    const finished = await app.inject({ method: 'POST', url: '/api/executions/done/cancel', payload: {} });
    expect(finished.statusCode).toBe(409);
    expect(finished.json().error.code).toBe('execution_finished');
  });

  it('terminate marks the execution at once, even when the shard cannot be reached', async () => {
    execution('stuck', 'running', 1);
    shardReachable = false;
    const cancel = await app.inject({ method: 'POST', url: '/api/executions/stuck/cancel', payload: {} });
    expect(cancel.statusCode).toBe(503);
    // The shard's next run applies it all the same.
    expect(stopRequests.pendingFor(0)).toMatchObject([{ executionId: 'stuck', mode: 'cancel' }]);
    const reply = await app.inject({ method: 'POST', url: '/api/executions/stuck/terminate', payload: {} });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({ status: 'terminated', shardNotified: false });
    expect(createExecutionQueries(db).byId('stuck')?.status).toBe('terminated');
    expect(stopRequests.pendingFor(0)).toMatchObject([{ executionId: 'stuck', mode: 'terminate' }]);
  });

  it('bad filters and unknown ids get a clear error naming the field', async () => {
    const badStatus = await app.inject({ url: '/api/executions?status=sleeping' });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().error.field).toBe('status');
    const badRange = await app.inject({ url: '/api/executions?from=10&to=5' });
    expect(badRange.json().error).toMatchObject({ code: 'invalid_range', field: 'to' });
    const missing = await app.inject({ url: '/api/executions/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.field).toBe('executionId');
  });

  it('retry from a node queues a manual run that starts there, on the same version, once the original is done', async () => {
    const ingest = createWebhookIngest(db, 8);
    const payload = inboundTextWebhook({
      phoneNumberId: DEMO_BUSINESS_NUMBER_ID,
      from: '5511900000777',
      text: 'oi',
      messageId: 'wamid.RETRY',
      timestamp: 1_764_000_000,
    });
    ingest(JSON.stringify(payload), 'sha256=x', payload, 1000);
    const conversationId = db.$client.prepare('SELECT id FROM conversations').pluck().get() as string;
    execution('failed-one', 'failed', 1, conversationId);
    execution('live-one', 'waiting', 1, conversationId);
    const retry = (id: string, nodeId: string) =>
      app.inject({
        method: 'POST',
        url: `/api/executions/${id}/retry`,
        payload: { nodeId, requestedBy: 'admin' },
      });

    expect((await retry('live-one', 'assign_support')).json().error.code).toBe('execution_live');
    expect((await retry('failed-one', 'nope')).json().error).toMatchObject({
      code: 'node_not_found',
      field: 'nodeId',
    });
    expect((await retry('failed-one', 'new_conversation')).statusCode).toBe(400);
    const before = db.$client.prepare('SELECT max(seq) FROM outbox').pluck().get() as number;
    const reply = await retry('failed-one', 'assign_support');
    expect(reply.statusCode).toBe(202);
    const queued = db.$client
      .prepare('SELECT payload FROM outbox WHERE seq > ?')
      .pluck()
      .all(before) as string[];
    expect(queued.map((row) => JSON.parse(row))).toEqual([
      expect.objectContaining({
        type: 'manual.run',
        conversationId,
        startAtNodeId: 'assign_support',
        workflowVersionId: versionId,
        requestedBy: 'admin',
      }),
    ]);
  });
});
