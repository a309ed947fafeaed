import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../../src/api/httpError';
import { DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import { workflowRoutes } from '../../src/workflows/workflowRoutes';
import { acknowledgeOrEscalate } from '../support/escalationGraph';
import { demoDatabase } from '../support/testDatabase';

let app: ReturnType<typeof Fastify>;
let close: () => void;

beforeEach(async () => {
  const { db, workflows } = demoDatabase();
  close = () => db.$client.close();
  app = Fastify();
  installErrorHandler(app);
  await app.register(workflowRoutes, { workflows });
});
afterEach(async () => {
  await app.close();
  close();
});

const publish = (graph: unknown, workflowId = DEMO_WORKFLOW_ID) =>
  app.inject({
    method: 'POST',
    url: `/api/workflows/${workflowId}/publish`,
    payload: { graph, note: 'test' },
  });

describe('publishing a workflow', () => {
  it('publishes a valid graph as the next immutable version with a content hash', async () => {
    const reply = await publish(acknowledgeOrEscalate(15));
    expect(reply.statusCode).toBe(201);
    const { version } = reply.json();
    expect(version).toMatchObject({ workflowId: DEMO_WORKFLOW_ID, number: 2, note: 'test' });
    expect(version.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a graph with errors with 422 and the problems, naming the node and field', async () => {
    const graph = acknowledgeOrEscalate(15);
    const assign = graph.nodes.find((node) => node.id === 'assign');
    if (assign) assign.config = { strategy: 'round_robin', teamId: '' };
    const reply = await publish(graph);
    expect(reply.statusCode).toBe(422);
    const body = reply.json();
    expect(body.error).toMatchObject({ code: 'invalid_graph', field: 'graph' });
    expect(body.problems).toContainEqual(
      expect.objectContaining({ severity: 'error', nodeId: 'assign', field: 'teamId' }),
    );
  });

  it('400 when the graph is missing; 404 for an unknown workflow', async () => {
    const missing = await app.inject({
      method: 'POST',
      url: `/api/workflows/${DEMO_WORKFLOW_ID}/publish`,
      payload: {},
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('invalid_request');
    const unknown = await publish(acknowledgeOrEscalate(15), 'wf_nope');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.field).toBe('workflowId');
  });
});
