import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../../src/api/httpError';
import type { AppDatabase } from '../../src/db/database';
import { DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import { versionRoutes } from '../../src/workflows/versionRoutes';
import { workflowRoutes } from '../../src/workflows/workflowRoutes';
import { acknowledgeOrEscalate } from '../support/escalationGraph';
import { demoDatabase } from '../support/testDatabase';

let app: ReturnType<typeof Fastify>;
let db: AppDatabase;

beforeEach(async () => {
  const demo = demoDatabase();
  db = demo.db;
  app = Fastify();
  installErrorHandler(app);
  await app.register(workflowRoutes, { workflows: demo.workflows });
  await app.register(versionRoutes, { workflows: demo.workflows });
});
afterEach(async () => {
  await app.close();
  db.$client.close();
});

const base = `/api/workflows/${DEMO_WORKFLOW_ID}`;

async function publishV2() {
  const reply = await app.inject({
    method: 'POST',
    url: `${base}/publish`,
    payload: {
      graph: acknowledgeOrEscalate(15),
      note: 'escalate after 15 min',
      publishedBy: 'admin@demo',
      runningExecutions: 'move_at_safe_point',
    },
  });
  expect(reply.statusCode).toBe(201);
  return reply.json().version;
}

function runExecution(id: string, versionId: string, status: string) {
  db.$client
    .prepare(
      `INSERT INTO executions (id, conversation_id, workflow_version_id, status, started_at, updated_at)
       VALUES (?, ?, ?, ?, 1, 1)`,
    )
    .run(id, `conv-${id}`, versionId, status);
}

describe('workflow versions', () => {
  it('lists versions newest first with author, note, hash and the conversations running on each', async () => {
    const v1 = (await app.inject({ url: `${base}/versions/1` })).json().version;
    const v2 = await publishV2();
    runExecution('a', v1.id, 'waiting');
    runExecution('b', v1.id, 'completed');
    runExecution('c', v2.id, 'running');
    runExecution('d', v2.id, 'waiting');

    const reply = await app.inject({ url: `${base}/versions` });
    expect(reply.statusCode).toBe(200);
    const body = reply.json();
    expect(body.publishedVersionId).toBe(v2.id);
    expect(body.versions).toMatchObject([
      {
        number: 2,
        note: 'escalate after 15 min',
        publishedBy: 'admin@demo',
        runningExecutions: 'move_at_safe_point',
        liveExecutions: 2,
        runningConversations: 2,
        contentHash: v2.contentHash,
      },
      {
        number: 1,
        publishedBy: 'Switchboard demo seed',
        runningExecutions: 'stay',
        liveExecutions: 1,
        runningConversations: 1,
      },
    ]);
  });

  it('diffs v1 and v2: the nodes the escalation added, the edge it replaced', async () => {
    await publishV2();
    const reply = await app.inject({ url: `${base}/diff?from=1&to=2` });
    expect(reply.statusCode).toBe(200);
    const { diff, from, to } = reply.json();
    expect(from.number).toBe(1);
    expect(to.number).toBe(2);
    expect(diff.identical).toBe(false);
    const ids = (list: { nodeId: string }[]) => list.map((node) => node.nodeId).sort();
    expect(ids(diff.removedNodes)).toEqual(['assign_support']);
    expect(ids(diff.addedNodes)).toEqual(['assign', 'lead', 'note', 'wait_ack']);
    // The trigger stayed; only its label went.
    expect(diff.changedNodes).toEqual([
      {
        nodeId: 'new_conversation',
        type: 'trigger.newConversation',
        movedOnly: false,
        fields: [{ path: 'label', before: 'New conversation' }],
      },
    ]);
    expect(diff.removedEdges.map((edge: { id: string }) => edge.id)).toEqual(['e_trigger_assign']);
  });

  it('rolls back by publishing the old graph again as a new version noted "rollback to v1"', async () => {
    const v1 = (await app.inject({ url: `${base}/versions/1` })).json().version;
    await publishV2();
    const reply = await app.inject({
      method: 'POST',
      url: `${base}/versions/1/rollback`,
      payload: { publishedBy: 'admin@demo' },
    });
    expect(reply.statusCode).toBe(201);
    const { version } = reply.json();
    expect(version).toMatchObject({ number: 3, note: 'rollback to v1', contentHash: v1.contentHash });
    const listed = (await app.inject({ url: `${base}/versions` })).json();
    expect(listed.publishedVersionId).toBe(version.id);
    expect((await app.inject({ url: `${base}/diff?from=1&to=3` })).json().diff.identical).toBe(true);
  });

  it('answers bad requests with the field at fault', async () => {
    const missing = await app.inject({ url: `${base}/versions/9` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'version_not_found', field: 'number' });
    const notNumber = await app.inject({ url: `${base}/versions/latest` });
    expect(notNumber.statusCode).toBe(400);
    const noTo = await app.inject({ url: `${base}/diff?from=1` });
    expect(noTo.statusCode).toBe(400);
    const unknownTo = await app.inject({ url: `${base}/diff?from=1&to=4` });
    expect(unknownTo.json().error.field).toBe('to');
    const current = await app.inject({ method: 'POST', url: `${base}/versions/1/rollback`, payload: {} });
    expect(current.statusCode).toBe(409);
    const unknownWorkflow = await app.inject({ url: '/api/workflows/wf_nope/versions' });
    expect(unknownWorkflow.json().error).toMatchObject({ code: 'workflow_not_found', field: 'workflowId' });
    const badPolicy = await app.inject({
      method: 'POST',
      url: `${base}/publish`,
      payload: { graph: acknowledgeOrEscalate(15), runningExecutions: 'whenever' },
    });
    expect(badPolicy.statusCode).toBe(400);
    expect(badPolicy.json().error.field).toBe('runningExecutions');
  });
});
