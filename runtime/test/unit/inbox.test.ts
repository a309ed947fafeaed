import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/access/bootstrapAccess';
import type { AppDatabase } from '../../src/db/database';
import type { Mailer } from '../../src/effects/mailer';
import { createNotifier } from '../../src/effects/notifications';
import { createConversationNews } from '../../src/inbox/conversationNews';
import { inboxRoutes } from '../../src/inbox/inboxRoutes';
import { LiveHub } from '../../src/live/liveHub';
import { createDigestSender } from '../../src/notifications/digest';
import { notificationRoutes } from '../../src/notifications/notificationRoutes';
import { createPresence } from '../../src/team/presence';
import { teamRoutes } from '../../src/team/teamRoutes';
import { accessApp, sessionHeaders } from '../support/accessApp';
import { aConversation } from '../support/conversationBuilder';
import { inboxRouteOptions } from '../support/inboxApp';
import { demoDatabase } from '../support/testDatabase';

let db: AppDatabase;
let app: FastifyInstance;
let live: LiveHub;
let mails: Array<{ to: string; subject: string; text: string }>;
const mailer: Mailer = {
  async send(message) {
    mails.push(message);
  },
};

beforeEach(async () => {
  db = demoDatabase().db;
  live = new LiveHub(db);
  mails = [];
  app = await accessApp(db, {
    register: async (inner) => {
      await inner.register(inboxRoutes, inboxRouteOptions(db, live, mailer));
      await inner.register(teamRoutes, { db, presence: createPresence(db, live) });
      await inner.register(notificationRoutes, { db });
    },
  });
});
afterEach(async () => {
  await app.close();
  db.$client.close();
});

const as = (email: string) => sessionHeaders(app, email, DEMO_PASSWORD);
const get = async (headers: Record<string, string>, url: string) =>
  app.inject({ method: 'GET', url, headers });
const send = (
  headers: Record<string, string>,
  method: 'POST' | 'PATCH' | 'PUT',
  url: string,
  payload?: object,
) => app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
const idsOf = (reply: { json(): { conversations: Array<{ id: string }> } }) =>
  reply.json().conversations.map((c) => c.id);

describe('inbox lists', () => {
  it('mine, my team and unassigned are each person’s own; another team’s conversation is 403', async () => {
    const anas = aConversation(db, { assignee: 'agent_ana', customer: 'Rafaela' });
    const chloes = aConversation(db, { assignee: 'agent_chloe' });
    const salesQueue = aConversation(db, { assignee: null, teamId: 'team_sales' });
    const ana = await as('ana@demo.switchboard');
    const farah = await as('farah@demo.switchboard');

    expect(idsOf(await get(ana, '/api/inbox?view=mine'))).toEqual([anas]);
    expect(idsOf(await get(ana, '/api/inbox?view=team')).sort()).toEqual([anas, chloes].sort());
    expect(idsOf(await get(ana, '/api/inbox?view=unassigned'))).toEqual([]);
    expect(idsOf(await get(farah, '/api/inbox?view=unassigned'))).toEqual([salesQueue]);
    expect(idsOf(await get(farah, '/api/inbox?view=team'))).toEqual([salesQueue]);

    const detail = await get(ana, `/api/conversations/${anas}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().conversation.customer.name).toBe('Rafaela');
    expect(detail.json().messages).toEqual([expect.objectContaining({ direction: 'inbound', text: 'Olá' })]);
    expect((await get(farah, `/api/conversations/${anas}`)).statusCode).toBe(403);
    expect((await get(ana, '/api/conversations/nope')).statusCode).toBe(404);
    expect((await get(ana, '/api/inbox?view=all')).statusCode).toBe(403);
  });

  it('filters by tag, priority, status and how long the customer has waited for a reply', async () => {
    const now = Date.now();
    const vip = aConversation(db, {
      assignee: 'agent_ana',
      tags: ['vip'],
      priority: 'urgent',
      receivedAt: now - 40 * 60_000,
    });
    const fresh = aConversation(db, { assignee: 'agent_ana', receivedAt: now - 60_000 });
    const ana = await as('ana@demo.switchboard');
    expect(idsOf(await get(ana, '/api/inbox?view=mine&tag=vip'))).toEqual([vip]);
    expect(idsOf(await get(ana, '/api/inbox?view=mine&priority=urgent'))).toEqual([vip]);
    expect(idsOf(await get(ana, '/api/inbox?view=mine&waitingMinutes=30'))).toEqual([vip]);
    expect(idsOf(await get(ana, '/api/inbox?view=mine&waitingMinutes=0')).sort()).toEqual(
      [vip, fresh].sort(),
    );
    await send(ana, 'POST', `/api/conversations/${fresh}/close`);
    expect(idsOf(await get(ana, '/api/inbox?view=mine&status=closed'))).toEqual([fresh]);
    const bad = await get(ana, '/api/inbox?priority=extreme');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('priority');
  });
});

describe('SLA due', () => {
  it('lists conversations whose running SLA timer is due within the window, until the timer is met', async () => {
    const now = Date.now();
    const sqlite = db.$client;
    const graph = {
      nodes: [{ id: 'sla', type: 'flow.slaTimer', config: { measure: 'first_response', targetMinutes: 30 } }],
    };
    sqlite
      .prepare(
        `INSERT INTO workflow_versions (id, workflow_id, number, graph, content_hash, published_at) VALUES ('v-sla', 'wf', 99, ?, 'x', ?)`,
      )
      .run(JSON.stringify(graph), now);
    const dueSoon = aConversation(db, { assignee: 'agent_ana' });
    aConversation(db, { assignee: 'agent_ana' });
    sqlite
      .prepare(
        `INSERT INTO executions (id, conversation_id, workflow_version_id, status, started_at, updated_at) VALUES ('e-sla', ?, 'v-sla', 'waiting', ?, ?)`,
      )
      .run(dueSoon, now, now);
    const step = sqlite.prepare(
      `INSERT INTO execution_steps (key, execution_id, node_id, node_type, status, output, at) VALUES (?, 'e-sla', 'sla', 'flow.slaTimer', ?, ?, ?)`,
    );
    // Started 20 minutes ago against a 30-minute target: due in 10.
    step.run('e-sla:sla:1:waiting', 'waiting', null, now - 20 * 60_000);
    const ana = await as('ana@demo.switchboard');
    expect(idsOf(await get(ana, '/api/inbox?view=mine&slaDueWithinMinutes=15'))).toEqual([dueSoon]);
    expect(idsOf(await get(ana, '/api/inbox?view=mine&slaDueWithinMinutes=5'))).toEqual([]);
    const listed = (await get(ana, '/api/inbox?view=mine&slaDueWithinMinutes=15')).json().conversations[0];
    expect(listed.slaDueAt).toBe(now + 10 * 60_000);

    step.run('e-sla:sla:1:passed', 'passed', 'met', now - 60_000);
    expect(idsOf(await get(ana, '/api/inbox?view=mine&slaDueWithinMinutes=15'))).toEqual([]);
  });
});

describe('SLA due from policy clocks', () => {
  it('lists running clocks due within the window and unstopped breached ones, with the due time on the row', async () => {
    const now = Date.now();
    const sqlite = db.$client;
    const clock = sqlite.prepare(
      `INSERT INTO sla_clocks (conversation_id, opened_at, measure, cycle, policy_id, state, started_at, target_ms, elapsed_ms, due_at, stopped_at, updated_at)
       VALUES (@conversationId, @openedAt, @measure, 0, 'policy-test', @state, @startedAt, 1800000, 0, @dueAt, @stoppedAt, @startedAt)`,
    );
    const openedAt = (id: string): number => {
      const at = sqlite
        .prepare<[string], number>(`SELECT opened_at FROM conversations WHERE id = ?`)
        .pluck()
        .get(id);
      if (at === undefined) throw new Error(`no conversation ${id}`);
      return at;
    };
    const aClock = (
      conversationId: string,
      clockState: {
        measure?: string;
        state: string;
        dueAt: number | null;
        stoppedAt?: number;
        openedAt?: number;
      },
    ) =>
      clock.run({
        conversationId,
        openedAt: clockState.openedAt ?? openedAt(conversationId),
        measure: clockState.measure ?? 'first_response',
        state: clockState.state,
        startedAt: now - 30 * 60_000,
        dueAt: clockState.dueAt,
        stoppedAt: clockState.stoppedAt ?? null,
      });

    const dueSoon = aConversation(db, { assignee: 'agent_ana' });
    aClock(dueSoon, { state: 'running', dueAt: now + 10 * 60_000 });
    aClock(dueSoon, { measure: 'resolution', state: 'running', dueAt: now + 120 * 60_000 });
    const breached = aConversation(db, { assignee: 'agent_ana' });
    aClock(breached, { state: 'breached', dueAt: now - 5 * 60_000 });
    const dueLater = aConversation(db, { assignee: 'agent_ana' });
    aClock(dueLater, { state: 'running', dueAt: now + 90 * 60_000 });
    // Answered late: breached, but stopped; nothing left to do about it.
    const answeredLate = aConversation(db, { assignee: 'agent_ana' });
    aClock(answeredLate, { state: 'breached', dueAt: now - 20 * 60_000, stoppedAt: now - 10 * 60_000 });
    const met = aConversation(db, { assignee: 'agent_ana' });
    aClock(met, { state: 'met', dueAt: null, stoppedAt: now - 60_000 });
    const paused = aConversation(db, { assignee: 'agent_ana' });
    aClock(paused, { state: 'paused', dueAt: now + 5 * 60_000 });
    // A clock of an earlier open period (the conversation was closed and reopened since).
    const earlierPeriod = aConversation(db, { assignee: 'agent_ana' });
    aClock(earlierPeriod, {
      state: 'breached',
      dueAt: now - 60 * 60_000,
      openedAt: openedAt(earlierPeriod) - 3_600_000,
    });

    const ana = await as('ana@demo.switchboard');
    expect(idsOf(await get(ana, '/api/inbox?view=mine&slaDueWithinMinutes=15')).sort()).toEqual(
      [dueSoon, breached].sort(),
    );
    expect(idsOf(await get(ana, '/api/inbox?view=mine&slaDueWithinMinutes=0'))).toEqual([breached]);
    expect(idsOf(await get(ana, '/api/inbox?view=mine&slaDueWithinMinutes=100')).sort()).toEqual(
      [dueSoon, breached, dueLater].sort(),
    );

    const rows = (await get(ana, '/api/inbox?view=mine')).json().conversations as Array<{
      id: string;
      slaDueAt: number | null;
      sla: unknown;
    }>;
    const rowOf = (id: string) => rows.find((row) => row.id === id);
    expect(rowOf(dueSoon)?.sla).toEqual({
      source: 'policy',
      measure: 'first_response',
      dueAt: now + 10 * 60_000,
      breached: false,
    });
    expect(rowOf(dueSoon)?.slaDueAt).toBe(now + 10 * 60_000);
    expect(rowOf(breached)?.sla).toEqual({
      source: 'policy',
      measure: 'first_response',
      dueAt: now - 5 * 60_000,
      breached: true,
    });
    for (const quiet of [answeredLate, met, paused, earlierPeriod]) expect(rowOf(quiet)?.sla).toBeNull();

    // Once the reply stops the clock, the conversation leaves the list.
    sqlite
      .prepare(`UPDATE sla_clocks SET state = 'met', stopped_at = ?, due_at = NULL WHERE conversation_id = ?`)
      .run(now, dueSoon);
    expect(idsOf(await get(ana, '/api/inbox?view=mine&slaDueWithinMinutes=15'))).toEqual([breached]);
    // A closed conversation has no SLA work left.
    await send(ana, 'POST', `/api/conversations/${breached}/close`);
    expect(idsOf(await get(ana, '/api/inbox?view=mine&slaDueWithinMinutes=15'))).toEqual([]);
  });
});

describe('working on a conversation', () => {
  it('a note with an @mention notifies the mentioned agent, live and in their unread count', async () => {
    const conversationId = aConversation(db, { assignee: 'agent_ana' });
    const pushed: string[] = [];
    live.subscribe('agent_farah', (message) => pushed.push(message.type));
    const ana = await as('ana@demo.switchboard');
    const note = await send(ana, 'POST', `/api/conversations/${conversationId}/notes`, {
      text: 'Can you check the order, @farah? cc @nobody',
    });
    expect(note.statusCode).toBe(201);
    expect(note.json().note.mentions).toEqual(['agent_farah']);
    expect(pushed).toContain('notification');

    const farah = await as('farah@demo.switchboard');
    const notifications = await get(farah, '/api/notifications');
    expect(notifications.json().unread).toBe(1);
    expect(notifications.json().notifications[0]).toMatchObject({
      conversationId,
      reason: 'mention',
      title: 'Ana Souza mentioned you',
    });
    // Mentioned outside her team, Farah may now open the conversation and finds it under mentions.
    expect((await get(farah, `/api/conversations/${conversationId}`)).json().notes[0]).toMatchObject({
      authorName: 'Ana Souza',
      mentions: ['agent_farah'],
    });
    expect(idsOf(await get(farah, '/api/inbox?view=mentions'))).toEqual([conversationId]);
    expect((await send(farah, 'POST', '/api/notifications/read', {})).json().unread).toBe(0);
  });

  it('a note and its mention notification are stored together: when the notification cannot be, neither is', async () => {
    const conversationId = aConversation(db, { assignee: 'agent_ana' });
    const ana = await as('ana@demo.switchboard');
    // Stands for the runtime dying between the two writes.
    db.$client.exec(
      `CREATE TEMP TRIGGER notification_fails BEFORE INSERT ON notifications BEGIN SELECT RAISE(FAIL, 'disk gone'); END`,
    );
    const failed = await send(ana, 'POST', `/api/conversations/${conversationId}/notes`, {
      text: 'Can you check the order, @farah?',
    });
    expect(failed.statusCode).toBeGreaterThanOrEqual(500);
    const notes = () =>
      db.$client.prepare(`SELECT count(*) FROM notes WHERE conversation_id = ?`).pluck().get(conversationId);
    expect(notes()).toBe(0);

    db.$client.exec(`DROP TRIGGER notification_fails`);
    const again = await send(ana, 'POST', `/api/conversations/${conversationId}/notes`, {
      text: 'Can you check the order, @farah?',
    });
    expect(again.statusCode).toBe(201);
    expect(notes()).toBe(1);
    const farah = await as('farah@demo.switchboard');
    expect((await get(farah, '/api/notifications')).json().unread).toBe(1);
  });

  it('a hand-off and the new owner’s notification are stored together: when the notification cannot be, the hand-off is not', async () => {
    const conversationId = aConversation(db, { assignee: 'agent_ana', teamId: 'team_support' });
    const ana = await as('ana@demo.switchboard');
    db.$client.exec(
      `CREATE TEMP TRIGGER notification_fails BEFORE INSERT ON notifications BEGIN SELECT RAISE(FAIL, 'disk gone'); END`,
    );
    const handOff = () =>
      send(ana, 'POST', `/api/conversations/${conversationId}/hand-off`, {
        agentId: 'agent_chloe',
        note: 'VIP',
      });
    expect((await handOff()).statusCode).toBeGreaterThanOrEqual(500);
    const owner = () =>
      db.$client
        .prepare(`SELECT assignee_agent_id FROM conversations WHERE id = ?`)
        .pluck()
        .get(conversationId);
    expect(owner()).toBe('agent_ana');
    expect(
      db.$client.prepare(`SELECT count(*) FROM notes WHERE conversation_id = ?`).pluck().get(conversationId),
    ).toBe(0);

    db.$client.exec(`DROP TRIGGER notification_fails`);
    expect((await handOff()).statusCode).toBe(201);
    expect(owner()).toBe('agent_chloe');
    const chloe = await as('chloe@demo.switchboard');
    expect((await get(chloe, '/api/notifications')).json().notifications[0]).toMatchObject({
      conversationId,
      title: 'Ana Souza handed you a conversation',
    });
  });

  it('hand-off moves the conversation with a note and an explanation; only the assignee or a manager may', async () => {
    const conversationId = aConversation(db, { assignee: 'agent_ana' });
    db.$client.prepare(`UPDATE conversations SET acknowledged_at = 1 WHERE id = ?`).run(conversationId);
    const chloe = await as('chloe@demo.switchboard');
    expect(
      (await send(chloe, 'POST', `/api/conversations/${conversationId}/hand-off`, { agentId: 'agent_chloe' }))
        .statusCode,
    ).toBe(403);

    const ana = await as('ana@demo.switchboard');
    const reply = await send(ana, 'POST', `/api/conversations/${conversationId}/hand-off`, {
      agentId: 'agent_dev',
      note: 'He knows the API',
    });
    expect(reply.statusCode).toBe(201);
    expect(reply.json().conversation).toMatchObject({ assigneeAgentId: 'agent_dev', acknowledgedAt: null });
    const detail = (await get(ana, `/api/conversations/${conversationId}`)).json();
    expect(detail.assignments.at(-1).explanation).toMatchObject({
      strategy: 'hand_off',
      chosenAgentId: 'agent_dev',
      summary: 'Ana Souza handed this conversation to Dev Patel: He knows the API',
    });
    expect(detail.notes.at(-1).text).toBe('Hand-off: He knows the API');
    expect(live.since('agent_dev', 0).map((m) => m.type)).toContain('assignment.created');
  });

  it('tags and priority change, and tag changes are routed to workflows', async () => {
    const conversationId = aConversation(db, { assignee: 'agent_ana', tags: ['old'] });
    const ana = await as('ana@demo.switchboard');
    const reply = await send(ana, 'PATCH', `/api/conversations/${conversationId}`, {
      tags: ['vip'],
      priority: 'high',
    });
    expect(reply.json().conversation).toMatchObject({ tags: ['vip'], priority: 'high' });
    const routed = db.$client
      .prepare(`SELECT payload FROM outbox WHERE conversation_id = ? ORDER BY seq`)
      .pluck()
      .all(conversationId)
      .map((payload) => JSON.parse(payload as string))
      .map((event) => `${event.type}:${event.change}:${event.tag}`);
    expect(routed).toEqual(['conversation.tagChanged:added:vip', 'conversation.tagChanged:removed:old']);
  });
});

describe('live journal', () => {
  it('numbers every push per person, so a page that was away gets exactly what it missed', () => {
    const news = createConversationNews(db, live);
    const conversationId = aConversation(db, { assignee: 'agent_ana' });
    news(conversationId, 'note');
    const seen = live.lastSeq('agent_ana');
    news(conversationId, 'tags');
    news(conversationId, 'priority');
    const missed = live.since('agent_ana', seen);
    expect(missed.flatMap((m) => (m.type === 'conversations.updated' ? m.changes : []))).toEqual([
      { conversationId, change: 'tags' },
      { conversationId, change: 'priority' },
    ]);
    // Farah (Sales) is not told about a Support conversation.
    expect(live.since('agent_farah', 0)).toEqual([]);
  });
});

describe('notification preferences', () => {
  const notifyTeam = (conversationId: string, now: number) =>
    createNotifier(
      db,
      live,
      mailer,
      pino({ level: 'silent' }),
    )(
      {
        key: `k-${now}`,
        conversationId,
        to: { kind: 'team', teamId: 'team_support' },
        channels: ['in_app', 'email'],
        title: 'New in Support',
        body: 'A customer waits',
        slackWebhookUrl: null,
      },
      now,
    );
  const setPreferences = (agentId: string, preferences: object) =>
    db.$client
      .prepare(`UPDATE agents SET notification_preferences = ? WHERE id = ?`)
      .run(JSON.stringify(preferences), agentId);
  const countFor = (agentId: string) =>
    db.$client.prepare(`SELECT count(*) FROM notifications WHERE agent_id = ?`).pluck().get(agentId);

  it('"only mine and mentions" drops team broadcasts but keeps my own conversations', async () => {
    setPreferences('agent_chloe', { onlyMineAndMentions: true, quietHours: null, digestEveryMinutes: null });
    const anas = aConversation(db, { assignee: 'agent_ana' });
    await notifyTeam(anas, Date.now());
    expect(countFor('agent_chloe')).toBe(0);
    expect(countFor('agent_dev')).toBe(2);
    const chloes = aConversation(db, { assignee: 'agent_chloe' });
    await notifyTeam(chloes, Date.now() + 1);
    expect(countFor('agent_chloe')).toBe(2);
  });

  it('quiet hours hold e-mail and silence the live push; a digest sends what was held once they end', async () => {
    // Ben is in Europe/London; 02:00 UTC on 1 July is 03:00 there.
    const night = Date.UTC(2026, 6, 1, 2, 0);
    setPreferences('agent_ben', {
      onlyMineAndMentions: false,
      quietHours: { start: '22:00', end: '07:00' },
      digestEveryMinutes: null,
    });
    const pushed: string[] = [];
    live.subscribe('agent_ben', (message) => pushed.push(message.type));
    await notifyTeam(aConversation(db), night);
    expect(pushed).toEqual([]);
    expect(mails.filter((mail) => mail.to === 'ben@demo.switchboard')).toEqual([]);

    const digest = createDigestSender(db, mailer, pino({ level: 'silent' }));
    await digest(night + 60_000);
    expect(mails.filter((mail) => mail.to === 'ben@demo.switchboard')).toEqual([]);
    await digest(Date.UTC(2026, 6, 1, 7, 30));
    const bens = mails.filter((mail) => mail.to === 'ben@demo.switchboard');
    expect(bens).toHaveLength(1);
    expect(bens[0]?.subject).toBe('Switchboard: 1 pending notification');
    expect(bens[0]?.text).toContain('New in Support');
  });

  it('a digest interval collects e-mails and sends them together, at most once per interval', async () => {
    setPreferences('agent_dev', { onlyMineAndMentions: false, quietHours: null, digestEveryMinutes: 60 });
    const start = Date.UTC(2026, 6, 1, 9, 0);
    const digest = createDigestSender(db, mailer, pino({ level: 'silent' }));
    await notifyTeam(aConversation(db), start);
    await digest(start);
    await notifyTeam(aConversation(db), start + 60_000);
    await notifyTeam(aConversation(db), start + 120_000);
    await digest(start + 30 * 60_000);
    await digest(start + 61 * 60_000);
    const devs = mails.filter((mail) => mail.to === 'dev@demo.switchboard').map((mail) => mail.subject);
    expect(devs).toEqual(['Switchboard: 1 pending notification', 'Switchboard: 2 pending notifications']);
  });

  it('preferences are each person’s own and validated', async () => {
    const ana = await as('ana@demo.switchboard');
    const bad = await send(ana, 'PUT', '/api/me/preferences', {
      onlyMineAndMentions: true,
      quietHours: { start: '25:00', end: '07:00' },
      digestEveryMinutes: null,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('quietHours.start');
    const good = { onlyMineAndMentions: true, quietHours: null, digestEveryMinutes: 30 };
    expect((await send(ana, 'PUT', '/api/me/preferences', good)).statusCode).toBe(200);
    expect((await get(ana, '/api/me/preferences')).json().preferences).toEqual(good);
  });
});

describe('team model', () => {
  it('a manager edits an agent’s profile, teams and lead; an agent cannot', async () => {
    const ana = await as('ana@demo.switchboard');
    const profile = {
      skills: [{ skill: 'billing', level: 5 }],
      languages: ['pt-BR', 'en'],
      holidays: ['2026-12-25'],
      shifts: [{ day: 1, start: '09:00', end: '17:00' }],
      capacity: 8,
      teamIds: ['team_support', 'team_sales'],
    };
    expect((await send(ana, 'PATCH', '/api/agents/agent_ana', profile)).statusCode).toBe(403);
    const ben = await as('ben@demo.switchboard');
    expect((await send(ben, 'PATCH', '/api/agents/agent_ana', profile)).statusCode).toBe(200);
    const row = db.$client
      .prepare(`SELECT languages, holidays, capacity FROM agents WHERE id = 'agent_ana'`)
      .get();
    expect(row).toEqual({ languages: '["pt-BR","en"]', holidays: '["2026-12-25"]', capacity: 8 });
    const teams = (await get(ben, '/api/teams')).json().teams;
    expect(teams.find((t: { id: string }) => t.id === 'team_sales').memberIds).toContain('agent_ana');

    const badZone = await send(ben, 'PATCH', '/api/agents/agent_ana', { timeZone: 'Mars/Olympus' });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().error.field).toBe('timeZone');

    const team = await send(ben, 'POST', '/api/teams', {
      name: 'VIP',
      leadAgentId: 'agent_chloe',
      memberIds: ['agent_dev'],
    });
    expect(team.statusCode).toBe(201);
    expect(team.json().team).toMatchObject({
      name: 'VIP',
      leadAgentId: 'agent_chloe',
      memberIds: ['agent_chloe', 'agent_dev'],
    });
    const mapped = await send(ben, 'PUT', '/api/business-numbers/100000000000001', {
      teamId: team.json().team.id,
    });
    expect(mapped.json().businessNumber.teamId).toBe(team.json().team.id);
  });

  it('an agent sets their own status only; idle online agents become away', async () => {
    const ana = await as('ana@demo.switchboard');
    expect((await send(ana, 'PUT', '/api/agents/agent_ben/status', { status: 'offline' })).statusCode).toBe(
      403,
    );
    expect((await send(ana, 'PUT', '/api/agents/agent_ana/status', { status: 'online' })).statusCode).toBe(
      200,
    );
    const presence = createPresence(db, live);
    await presence.active('agent_ana', 1_000);
    expect(await presence.sweepIdle(2_000, 2_500)).toEqual(['agent_ana']);
    const status = () => db.$client.prepare(`SELECT status FROM agents WHERE id = 'agent_ana'`).pluck().get();
    expect(status()).toBe('away');
    await presence.active('agent_ana', 3_000);
    expect(status()).toBe('online');
  });
});
