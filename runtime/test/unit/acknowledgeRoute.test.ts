import Fastify from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { installErrorHandler } from '../../src/api/httpError';
import { conversationRoutes } from '../../src/conversations/conversationRoutes';
import { createRoutedEventQueue } from '../../src/conversations/routedEventQueue';
import { seedDemoWorkspace } from '../../src/demo/seedDemo';
import { createWorkflowStore } from '../../src/workflows/workflowStore';
import { aConversation } from '../support/conversationBuilder';
import { duringWorkerCommit, fileDatabaseWithWorker } from '../support/testDatabase';

let cleanUp = async () => {};
afterEach(() => cleanUp());

/** The acknowledge API on a database file whose router-worker connection can hold the write lock. */
async function acknowledgeApi() {
  const { db, worker, close } = fileDatabaseWithWorker('acknowledge');
  seedDemoWorkspace(db, createWorkflowStore(db), Date.now());
  const app = Fastify();
  installErrorHandler(app);
  await app.register(conversationRoutes, { db, events: createRoutedEventQueue(db, 8), onQueued: () => {} });
  cleanUp = async () => {
    await app.close();
    close();
  };
  const acknowledge = (conversationId: string, agentId: string) =>
    app.inject({
      method: 'POST',
      url: `/api/conversations/${conversationId}/acknowledge`,
      payload: { agentId },
    });
  const acknowledgedAt = (conversationId: string) =>
    db.$client.prepare(`SELECT acknowledged_at FROM conversations WHERE id = ?`).pluck().get(conversationId);
  return { db, worker, acknowledge, acknowledgedAt };
}

it('an acknowledgement while the router worker commits waits with the event loop free, then is stored with its event', async () => {
  const { db, worker, acknowledge, acknowledgedAt } = await acknowledgeApi();
  const conversationId = aConversation(db, { assignee: 'agent_ana' });
  const reply = await duringWorkerCommit(worker, () => acknowledge(conversationId, 'agent_ana'));
  expect(reply.statusCode).toBe(202);
  expect(acknowledgedAt(conversationId)).toEqual(expect.any(Number));
  const events = db.$client
    .prepare(`SELECT payload FROM outbox WHERE conversation_id = ?`)
    .pluck()
    .all(conversationId);
  expect(events.map((payload) => JSON.parse(payload as string).type)).toEqual(['conversation.acknowledged']);
});

it('a conversation reassigned while the acknowledgement waited is refused with 409, and nothing is stored', async () => {
  const { db, worker, acknowledge, acknowledgedAt } = await acknowledgeApi();
  const conversationId = aConversation(db, { assignee: 'agent_ana' });
  const reply = await duringWorkerCommit(
    worker,
    () => acknowledge(conversationId, 'agent_ana'),
    // The escalation the worker was committing hands the conversation to the team lead.
    () =>
      worker
        .prepare(`UPDATE conversations SET assignee_agent_id = 'agent_ben' WHERE id = ?`)
        .run(conversationId),
  );
  expect(reply.statusCode).toBe(409);
  expect(reply.json()).toMatchObject({ error: { code: 'not_assignee', field: 'agentId' } });
  expect(acknowledgedAt(conversationId)).toBeNull();
  expect(
    db.$client.prepare(`SELECT count(*) FROM outbox WHERE conversation_id = ?`).pluck().get(conversationId),
  ).toBe(0);
});
