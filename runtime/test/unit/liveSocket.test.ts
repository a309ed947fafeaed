import type { SocketMessage } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO_PASSWORD } from '../../src/access/bootstrapAccess';
import { createAssignmentViews } from '../../src/assignment/assignmentViews';
import type { AppDatabase } from '../../src/db/database';
import { createConversationNews } from '../../src/inbox/conversationNews';
import { createVisibility } from '../../src/inbox/visibility';
import { LiveHub } from '../../src/live/liveHub';
import { socketRoutes } from '../../src/live/socketRoutes';
import { createPresence, type Presence } from '../../src/team/presence';
import { accessApp, sessionHeaders } from '../support/accessApp';
import { anAssignEffect } from '../support/assignEffect';
import { aConversation } from '../support/conversationBuilder';
import { testEffectExecutor } from '../support/effectExecutor';
import { eventually } from '../support/runtimeHarness';
import { demoDatabase } from '../support/testDatabase';

let db: AppDatabase;
let app: FastifyInstance;
let live: LiveHub;
let baseUrl: string;
const sockets: WebSocket[] = [];

/** Serves the live socket on `db`, its presence written by `presence`. */
async function serveSockets(presence: Presence) {
  app = await accessApp(db, {
    register: async (inner) => {
      await inner.register(socketRoutes, { db, live, visibility: createVisibility(db), presence });
    },
  });
  baseUrl = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws');
}

beforeEach(async () => {
  db = demoDatabase().db;
  live = new LiveHub(db);
  await serveSockets(createPresence(db, live));
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await app.close();
  db.$client.close();
});

/** Opens a socket as `email` and collects what it receives. */
async function connect(email: string, query = '', headers: Record<string, string> = {}) {
  const session = await sessionHeaders(app, email, DEMO_PASSWORD);
  const socket = new WebSocket(`${baseUrl}/ws${query}`, { headers: { cookie: session.cookie, ...headers } });
  sockets.push(socket);
  const received: SocketMessage[] = [];
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const rejected = new Promise<number>((resolve) =>
    socket.on('unexpected-response', (req, res) => {
      // With a listener, ws leaves aborting the refused handshake to us.
      req.destroy();
      resolve(res.statusCode ?? 0);
    }),
  );
  socket.on('message', (data) => received.push(JSON.parse(String(data))));
  socket.on('error', () => {});
  return { socket, received, closed, rejected };
}

describe('the live socket', () => {
  it('refuses a handshake without a session (401) and from another site (403)', async () => {
    const anonymous = new WebSocket(`${baseUrl}/ws`);
    sockets.push(anonymous);
    anonymous.on('error', () => {});
    const status = await new Promise<number>((resolve) =>
      anonymous.on('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      }),
    );
    expect(status).toBe(401);
    const crossSite = await connect('ana@demo.switchboard', '', { origin: 'https://evil.example' });
    expect(await crossSite.rejected).toBe(403);
  });

  it('an agent may not watch another agent’s feed; a manager may', async () => {
    const ana = await connect('ana@demo.switchboard', '?agentId=agent_chloe');
    expect(await ana.closed).toBe(4403);
    const ben = await connect('ben@demo.switchboard', '?agentId=agent_chloe');
    await eventually(() => (ben.received[0]?.type === 'hello' ? true : undefined));
    expect(ben.received[0]).toMatchObject({ type: 'hello', agentId: 'agent_chloe' });
  });

  it('after a reconnect with ?since the page gets exactly what it missed, in order, then live', async () => {
    const conversationId = aConversation(db, { assignee: 'agent_ana' });
    const news = createConversationNews(db, live);
    const first = await connect('ana@demo.switchboard');
    await eventually(() => (first.received.length ? true : undefined));
    news(conversationId, 'note');
    const seen = await eventually(() => first.received.find((m) => m.type === 'conversations.updated'));
    first.socket.close();
    await first.closed;

    news(conversationId, 'tags');
    news(conversationId, 'priority');
    const second = await connect('ana@demo.switchboard', `?since=${(seen as { seq: number }).seq}`);
    await eventually(() => (second.received.length >= 3 ? true : undefined));
    news(conversationId, 'status');
    await eventually(() => (second.received.length >= 4 ? true : undefined));
    const changes = second.received.flatMap((m) =>
      m.type === 'conversations.updated' ? m.changes.map((news) => news.change) : [m.type],
    );
    expect(changes).toEqual(['hello', 'tags', 'priority', 'status']);
    const seqs = second.received.slice(1).map((m) => (m as { seq: number }).seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('?since replays news journaled one change per message before batching, and batches after it', async () => {
    const conversationId = aConversation(db, { assignee: 'agent_ana' });
    // A row the previous version of the runtime journaled.
    live.publish('agent_ana', { type: 'conversation.updated', conversationId, change: 'note' });
    createConversationNews(db, live)(conversationId, 'tags');

    const ana = await connect('ana@demo.switchboard', '?since=0');
    await eventually(() => (ana.received.length >= 3 ? true : undefined));
    expect(ana.received.slice(1)).toEqual([
      { type: 'conversation.updated', conversationId, change: 'note', seq: expect.any(Number) },
      {
        type: 'conversations.updated',
        changes: [{ conversationId, change: 'tags' }],
        seq: expect.any(Number),
      },
    ]);
  });

  it('an assignment published again by a retried assign effect reaches the page once', async () => {
    const conversationId = aConversation(db, {});
    const applyEffects = testEffectExecutor(db, live);
    const assign = anAssignEffect(conversationId, {
      nodeId: 'assign_ana',
      strategy: 'specific_agent',
      teamId: null,
      agentId: 'agent_ana',
    });
    const ana = await connect('ana@demo.switchboard');
    await eventually(() => (ana.received.length ? true : undefined));

    // Temporal runs the activity again when the workflow task that saw its result was lost.
    const [first] = await applyEffects([assign], Date.now(), () => {});
    const [again] = await applyEffects([assign], Date.now(), () => {});
    live.publish('agent_ana', { type: 'agent.status', agentId: 'agent_ana', status: 'away' });
    await eventually(() => (ana.received.some((m) => m.type === 'agent.status') ? true : undefined));

    expect(again).toEqual(first);
    const pushed = ana.received.filter((m) => m.type === 'assignment.created');
    expect(pushed.map((m) => m.assignment.agentId)).toEqual(['agent_ana']);
    const journaled = live.since('agent_ana', 0).filter((m) => m.type === 'assignment.created');
    expect(journaled).toHaveLength(1);
  });

  it('an assignment reaches the page as the inbox shows it: explanation, customer and latest text', async () => {
    const text = 'Pedido "urgente" \\ ünïcödé 🚀\nsegunda linha';
    const conversationId = aConversation(db, { text });
    const ana = await connect('ana@demo.switchboard');
    await eventually(() => (ana.received.length ? true : undefined));

    const [outcome] = await testEffectExecutor(db, live)(
      [
        anAssignEffect(conversationId, {
          nodeId: 'assign_ana',
          strategy: 'specific_agent',
          teamId: null,
          agentId: 'agent_ana',
        }),
      ],
      Date.now(),
      () => {},
    );
    const assignmentId = outcome?.ok && outcome.result.type === 'assign' ? outcome.result.assignmentId : '';
    const shown = createAssignmentViews(db).byId(assignmentId);
    expect(shown?.preview).toBe(text);
    expect(shown?.agentId).toBe('agent_ana');
    expect(shown?.explanation.summary).toMatch(/Ana/);
    await eventually(() => (ana.received.some((m) => m.type === 'assignment.created') ? true : undefined));

    const pushed = ana.received.find((m) => m.type === 'assignment.created');
    expect(pushed).toEqual({ type: 'assignment.created', assignment: shown, seq: expect.any(Number) });
    expect(live.since('agent_ana', 0).filter((m) => m.type === 'assignment.created')).toEqual([pushed]);
  });

  it('an agent’s socket never carries another team’s conversation', async () => {
    const supportConversation = aConversation(db, { assignee: 'agent_ana' });
    const farah = await connect('farah@demo.switchboard');
    await eventually(() => (farah.received.length ? true : undefined));
    // Published to Farah's feed by mistake, it is still filtered by what she may see.
    live.publish('agent_farah', {
      type: 'conversation.updated',
      conversationId: supportConversation,
      change: 'note',
    });
    live.publish('agent_farah', { type: 'agent.status', agentId: 'agent_farah', status: 'away' });
    await eventually(() => (farah.received.some((m) => m.type === 'agent.status') ? true : undefined));
    expect(farah.received.map((m) => m.type)).toEqual(['hello', 'agent.status']);
  });

  it('of a batch of news, an agent’s socket carries only the conversations they may see', async () => {
    const supportConversations = [aConversation(db, { assignee: 'agent_ana' }), aConversation(db)];
    const salesConversation = aConversation(db, { teamId: 'team_sales' });
    const farah = await connect('farah@demo.switchboard');
    await eventually(() => (farah.received.length ? true : undefined));
    // Published to Farah's feed by mistake, the batch is cut down to what she may see.
    live.publish('agent_farah', {
      type: 'conversations.updated',
      changes: [
        { conversationId: supportConversations[0] as string, change: 'message' },
        { conversationId: salesConversation, change: 'message' },
        { conversationId: supportConversations[1] as string, change: 'assigned' },
        { conversationId: salesConversation, change: 'assigned' },
      ],
    });
    // Nothing of this one is hers: no frame at all.
    live.publish('agent_farah', {
      type: 'conversations.updated',
      changes: supportConversations.map((conversationId) => ({ conversationId, change: 'note' as const })),
    });
    live.publish('agent_farah', { type: 'agent.status', agentId: 'agent_farah', status: 'away' });
    await eventually(() => (farah.received.some((m) => m.type === 'agent.status') ? true : undefined));

    expect(farah.received.map((m) => m.type)).toEqual(['hello', 'conversations.updated', 'agent.status']);
    expect(farah.received[1]).toEqual({
      type: 'conversations.updated',
      changes: [
        { conversationId: salesConversation, change: 'message' },
        { conversationId: salesConversation, change: 'assigned' },
      ],
      seq: expect.any(Number),
    });
    const frames = JSON.stringify(farah.received);
    for (const hidden of supportConversations) expect(frames).not.toContain(hidden);

    // Ben manages: the same journal rows, replayed on his own feed, reach him whole.
    const ben = await connect('ben@demo.switchboard', '?agentId=agent_farah&since=0');
    await eventually(() => (ben.received.length >= 4 ? true : undefined));
    expect(ben.received.map((m) => (m.type === 'conversations.updated' ? m.changes.length : m.type))).toEqual(
      ['hello', 4, 2, 'agent.status'],
    );
  });

  it('activity on the page brings an away agent back online', async () => {
    db.$client.prepare(`UPDATE agents SET status = 'away' WHERE id = 'agent_ana'`).run();
    const ana = await connect('ana@demo.switchboard');
    await eventually(() => (ana.received.length ? true : undefined));
    const status = () => db.$client.prepare(`SELECT status FROM agents WHERE id = 'agent_ana'`).pluck().get();
    // Connecting is a sign of life already.
    expect(status()).toBe('online');
    db.$client.prepare(`UPDATE agents SET status = 'away' WHERE id = 'agent_ana'`).run();
    ana.socket.send(JSON.stringify({ type: 'activity' }));
    await eventually(() => (status() === 'online' ? true : undefined));
  });
});

describe('the live socket when presence cannot be written', () => {
  it('stays open: a sign of life is dropped, a status change is answered with an error to send it again', async () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const unwritable: Presence = {
      active: () => Promise.reject(busy),
      set: () => Promise.reject(busy),
      sweepIdle: () => Promise.reject(busy),
    };
    await app.close();
    await serveSockets(unwritable);

    const ana = await connect('ana@demo.switchboard');
    await eventually(() => (ana.received.length ? true : undefined));
    ana.socket.send(JSON.stringify({ type: 'activity' }));
    ana.socket.send(JSON.stringify({ type: 'status', status: 'away' }));
    const error = await eventually(() =>
      ana.received.find((message) => (message as { type: string }).type === 'error'),
    );
    expect(error).toMatchObject({ message: 'status not saved; send it again' });
    expect(ana.socket.readyState).toBe(WebSocket.OPEN);
  });
});
