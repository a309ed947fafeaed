import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/access/bootstrapAccess';
import type { AppDatabase } from '../../src/db/database';
import { seedDemoWorkspace } from '../../src/demo/seedDemo';
import { inboxRoutes } from '../../src/inbox/inboxRoutes';
import { LiveHub } from '../../src/live/liveHub';
import { notificationRoutes } from '../../src/notifications/notificationRoutes';
import { createWorkflowStore } from '../../src/workflows/workflowStore';
import { accessApp, sessionHeaders } from '../support/accessApp';
import { aConversation } from '../support/conversationBuilder';
import { inboxRouteOptions } from '../support/inboxApp';
import { eventually } from '../support/runtimeHarness';
import { duringWorkerCommit, fileDatabaseWithWorker, timerTurns } from '../support/testDatabase';

let db: AppDatabase;
let worker: ReturnType<typeof fileDatabaseWithWorker>['worker'];
let app: FastifyInstance;
let close = () => {};

beforeEach(async () => {
  ({ db, worker, close } = fileDatabaseWithWorker('agent-actions'));
  seedDemoWorkspace(db, createWorkflowStore(db), Date.now());
  app = await accessApp(db, {
    register: async (inner) => {
      await inner.register(inboxRoutes, inboxRouteOptions(db, new LiveHub(db), null));
      await inner.register(notificationRoutes, { db });
    },
  });
});
afterEach(async () => {
  await app.close();
  close();
});

const one = (sql: string, ...params: unknown[]) =>
  db.$client
    .prepare(sql)
    .pluck()
    .get(...params);

/** What an agent does to their conversation, and what it leaves in the database once stored. */
const actions: {
  name: string;
  method: 'POST' | 'PATCH';
  path: string;
  payload: object;
  status: number;
  stored: (conversationId: string) => unknown[];
  expected: unknown[];
}[] = [
  {
    name: 'a note that mentions a colleague',
    method: 'POST',
    path: 'notes',
    payload: { text: 'Refund approved, @ben please confirm' },
    status: 201,
    stored: (id) => [
      one(`SELECT text FROM notes WHERE conversation_id = ?`, id),
      one(
        `SELECT count(*) FROM notifications WHERE conversation_id = ? AND agent_id = 'agent_ben' AND channel = 'in_app'`,
        id,
      ),
    ],
    expected: ['Refund approved, @ben please confirm', 1],
  },
  {
    name: 'tags and priority',
    method: 'PATCH',
    path: '',
    payload: { tags: ['refund'], priority: 'high' },
    status: 200,
    stored: (id) => [
      one(`SELECT tags || ' ' || priority FROM conversations WHERE id = ?`, id),
      one(`SELECT json_extract(payload, '$.tag') FROM outbox WHERE conversation_id = ?`, id),
    ],
    expected: ['["refund"] high', 'refund'],
  },
  {
    name: 'a close',
    method: 'POST',
    path: 'close',
    payload: {},
    status: 200,
    stored: (id) => [one(`SELECT status FROM conversations WHERE id = ?`, id)],
    expected: ['closed'],
  },
  {
    name: 'a hand-off with a note',
    method: 'POST',
    path: 'hand-off',
    payload: { agentId: 'agent_ben', note: 'VIP, be quick' },
    status: 201,
    stored: (id) => [
      one(`SELECT assignee_agent_id FROM conversations WHERE id = ?`, id),
      one(`SELECT text FROM notes WHERE conversation_id = ?`, id),
      one(
        `SELECT count(*) FROM notifications WHERE conversation_id = ? AND agent_id = 'agent_ben' AND channel = 'in_app'`,
        id,
      ),
    ],
    expected: ['agent_ben', 'Hand-off: VIP, be quick', 1],
  },
];

it.each(actions)(
  '$name while the router worker commits waits with the event loop free, then is stored and audited',
  async ({ method, path, payload, status, stored, expected }) => {
    const conversationId = aConversation(db, { assignee: 'agent_ana', teamId: 'team_support' });
    const headers = await sessionHeaders(app, 'ana@demo.switchboard', DEMO_PASSWORD);
    const audited = () => one(`SELECT count(*) FROM audit_log WHERE params LIKE ?`, `%${conversationId}%`);
    const reply = await duringWorkerCommit(worker, () =>
      app.inject({
        method,
        url: `/api/conversations/${conversationId}${path ? `/${path}` : ''}`,
        headers,
        payload,
      }),
    );
    expect(reply.statusCode, reply.body).toBe(status);
    expect(stored(conversationId)).toEqual(expected);
    expect(await eventually(() => audited() || undefined, 5000)).toBe(1);
  },
);

it('marking notifications read and signing in wait for the lock too', async () => {
  const headers = await sessionHeaders(app, 'ana@demo.switchboard', DEMO_PASSWORD);
  const conversationId = aConversation(db, { assignee: 'agent_ana' });
  db.$client
    .prepare(
      `INSERT INTO notifications (id, agent_id, conversation_id, title, body, channel, created_at)
       VALUES ('n1', 'agent_ana', ?, 'Hi', 'Hi', 'in_app', 1)`,
    )
    .run(conversationId);

  const [read, signedIn] = await duringWorkerCommit(worker, () =>
    Promise.all([
      app.inject({ method: 'POST', url: '/api/notifications/read', headers, payload: {} }),
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'ben@demo.switchboard', password: DEMO_PASSWORD },
      }),
    ]),
  );

  expect(read.statusCode, read.body).toBe(200);
  expect(read.json()).toEqual({ unread: 0 });
  expect(one(`SELECT read_at IS NOT NULL FROM notifications WHERE id = 'n1'`)).toBe(1);
  expect(signedIn.statusCode, signedIn.body).toBe(200);
  expect(one(`SELECT count(*) FROM sessions WHERE agent_id = 'agent_ben'`)).toBe(1);
});

it('tags a workflow added while the change waited are compared under the lock: their removal is an event too', async () => {
  const conversationId = aConversation(db, { assignee: 'agent_ana', teamId: 'team_support' });
  const headers = await sessionHeaders(app, 'ana@demo.switchboard', DEMO_PASSWORD);
  const reply = await duringWorkerCommit(
    worker,
    () =>
      app.inject({
        method: 'PATCH',
        url: `/api/conversations/${conversationId}`,
        headers,
        payload: { tags: ['refund'] },
      }),
    // The tag effect the worker is committing.
    () => worker.prepare(`UPDATE conversations SET tags = '["vip"]' WHERE id = ?`).run(conversationId),
  );
  expect(reply.statusCode).toBe(200);
  const events = db.$client
    .prepare<[string], string>(`SELECT payload FROM outbox WHERE conversation_id = ? ORDER BY seq`)
    .pluck()
    .all(conversationId)
    .map((payload) => {
      const { tag, change } = JSON.parse(payload);
      return `${change} ${tag}`;
    });
  expect(events).toEqual(['added refund', 'removed vip']);
});

it('a refused change is answered at once; its audit entry waits for the lock with the event loop free', async () => {
  const conversationId = aConversation(db, { assignee: 'agent_ana' });
  const headers = await sessionHeaders(app, 'ana@demo.switchboard', DEMO_PASSWORD);
  worker.exec('BEGIN IMMEDIATE');
  const reply = await app.inject({
    method: 'POST',
    url: `/api/conversations/${conversationId}/notes`,
    headers,
    payload: { text: '' },
  });
  expect(reply.statusCode).toBe(400);
  expect(await timerTurns(20)).toBe(20);
  worker.exec('COMMIT');
  const audited = () =>
    one(`SELECT status_code FROM audit_log WHERE params LIKE ?`, `%${conversationId}%`) as number | undefined;
  expect(await eventually(audited, 5000)).toBe(400);
});

it('a hand-off whose conversation the worker reassigned while it waited is refused with 409, and nothing is stored', async () => {
  const conversationId = aConversation(db, { assignee: 'agent_ana', teamId: 'team_support' });
  const headers = await sessionHeaders(app, 'ana@demo.switchboard', DEMO_PASSWORD);
  const reply = await duringWorkerCommit(
    worker,
    () =>
      app.inject({
        method: 'POST',
        url: `/api/conversations/${conversationId}/hand-off`,
        headers,
        payload: { agentId: 'agent_chloe', note: 'yours' },
      }),
    // The escalation the worker is committing hands the conversation to the team lead.
    () =>
      worker
        .prepare(`UPDATE conversations SET assignee_agent_id = 'agent_ben' WHERE id = ?`)
        .run(conversationId),
  );
  expect(reply.statusCode).toBe(409);
  expect(reply.json()).toMatchObject({ error: { code: 'reassigned', field: 'agentId' } });
  expect(one(`SELECT assignee_agent_id FROM conversations WHERE id = ?`, conversationId)).toBe('agent_ben');
  expect(one(`SELECT count(*) FROM notes WHERE conversation_id = ?`, conversationId)).toBe(0);
  expect(one(`SELECT count(*) FROM assignments WHERE conversation_id = ?`, conversationId)).toBe(0);
});
