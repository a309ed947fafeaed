import { type AssignEffect, assignEffectSchema } from '@switchboard/shared';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_ADMIN, DEMO_PASSWORD } from '../../src/access/bootstrapAccess';
import { installErrorHandler } from '../../src/api/httpError';
import { AssignmentError } from '../../src/assignment/assignmentError';
import type { AppDatabase } from '../../src/db/database';
import { recordDemoTraffic } from '../../src/demo/demoTraffic';
import { DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import { LiveHub } from '../../src/live/liveHub';
import { ReconstructedWorld, type SimulatedAssignment } from '../../src/replay/reconstructedWorld';
import { createRecordedHistory } from '../../src/replay/recordedHistory';
import { createShadowReplay } from '../../src/replay/shadowReplay';
import { createPresence, type Presence } from '../../src/team/presence';
import { teamRoutes } from '../../src/team/teamRoutes';
import { createWebhookIngest } from '../../src/whatsapp/ingest';
import { accessApp, sessionHeaders } from '../support/accessApp';
import { demoDatabase } from '../support/testDatabase';

const START = Date.UTC(2026, 10, 2, 9, 0, 0);
const MINUTE = 60_000;

let db: AppDatabase;
let presence: Presence;
let app: ReturnType<typeof Fastify>;

beforeEach(async () => {
  ({ db } = demoDatabase());
  presence = createPresence(db, new LiveHub(db));
  app = Fastify();
  installErrorHandler(app);
  await app.register(teamRoutes, { db, presence });
});
afterEach(async () => {
  vi.useRealTimers();
  await app.close();
  db.$client.close();
});

/** A change through the API, made at `at` by the server's clock. */
async function manage(
  method: 'PATCH' | 'POST',
  url: string,
  body: Record<string, unknown>,
  at: number,
  through: { app: ReturnType<typeof Fastify>; headers?: Record<string, string> } = { app },
) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  const reply = await through.app.inject({ method, url, payload: body, headers: through.headers });
  vi.useRealTimers();
  expect(reply.statusCode).toBeLessThan(300);
  return reply.json();
}

function agentRow(agentId: string) {
  return db.$client
    .prepare<[string], { status: string; capacity: number }>(
      `SELECT status, capacity FROM agents WHERE id = ?`,
    )
    .get(agentId);
}

function worldBetween(from: number, to: number): ReconstructedWorld {
  return new ReconstructedWorld(createRecordedHistory(db).worldAt(from, to));
}

let effects = 0;
function assignment(fields: Partial<AssignEffect>): AssignEffect {
  effects += 1;
  return assignEffectSchema.parse({
    type: 'assign',
    key: `effect${effects}`,
    conversationId: `conversation${effects}`,
    executionId: 'execution',
    workflowVersionId: 'version',
    nodeId: 'assign',
    strategy: 'specific_agent',
    teamId: null,
    path: ['start', 'assign'],
    ...fields,
  });
}
const askFor = (agentId: string) => assignment({ strategy: 'specific_agent', agentId });

function candidate(decision: SimulatedAssignment, agentId: string) {
  return decision.explanation.candidates.find((weighed) => weighed.agentId === agentId);
}

describe('availability history', () => {
  it('each change of status, capacity, skills or teams is recorded with its time, as the picture after it', async () => {
    await presence.set('agent_ben', 'offline', START + MINUTE);
    await presence.set('agent_ben', 'online', START + 2 * MINUTE);
    await presence.set('agent_ben', 'online', START + 3 * MINUTE);
    await presence.active('agent_ben', START + 4 * MINUTE);
    await presence.sweepIdle(START + 10 * MINUTE, START + 11 * MINUTE);
    await presence.active('agent_ben', START + 12 * MINUTE);
    await manage(
      'PATCH',
      '/api/agents/agent_ben',
      { capacity: 3, skills: [], teamIds: ['team_sales'] },
      START + 13 * MINUTE,
    );
    await manage('PATCH', '/api/agents/agent_ben', { languages: ['en'] }, START + 14 * MINUTE);
    await manage(
      'PATCH',
      '/api/teams/team_support',
      { memberIds: ['agent_chloe', 'agent_dev'] },
      START + 15 * MINUTE,
    );

    const rows = db.$client
      .prepare(
        `SELECT agent_id AS agentId, changed_at - ${START} AS after, cause, status, capacity, skills, team_ids AS teamIds, active
           FROM agent_availability_changes ORDER BY id`,
      )
      .all();
    const ben = {
      agentId: 'agent_ben',
      capacity: 20,
      skills: '[{"skill":"technical","level":4}]',
      teamIds: '["team_support"]',
      active: 1,
    };
    expect(rows).toEqual([
      // Before each person's first change, the picture before it, for replays of earlier times.
      { ...ben, after: -START, cause: 'baseline', status: 'online' },
      { ...ben, after: MINUTE, cause: 'status', status: 'offline' },
      { ...ben, after: 2 * MINUTE, cause: 'status', status: 'online' },
      // Idle since before minute 10: away at the sweep, online again at the next sign of life.
      { ...ben, after: 11 * MINUTE, cause: 'idle', status: 'away' },
      { ...ben, after: 12 * MINUTE, cause: 'activity', status: 'online' },
      {
        ...ben,
        after: 13 * MINUTE,
        cause: 'profile',
        status: 'online',
        capacity: 3,
        skills: '[]',
        teamIds: '["team_sales"]',
      },
      // Languages are not weighed by the engine: no row. The team change moves Ana only (Ben had left).
      {
        agentId: 'agent_ana',
        after: -START,
        cause: 'baseline',
        status: 'online',
        capacity: 20,
        skills: expect.any(String),
        teamIds: '["team_support"]',
        active: 1,
      },
      {
        agentId: 'agent_ana',
        after: 15 * MINUTE,
        cause: 'teams',
        status: 'online',
        capacity: 20,
        skills: expect.any(String),
        teamIds: '[]',
        active: 1,
      },
    ]);
  });
});

describe('shadow replay sees agents as they were at each decision', () => {
  it('an agent who was offline at the time is skipped as offline, though online now', async () => {
    await presence.set('agent_ben', 'offline', START + 10 * MINUTE);
    await presence.set('agent_ben', 'online', START + 30 * MINUTE);
    expect(agentRow('agent_ben')?.status).toBe('online');

    const world = worldBetween(START, START + 60 * MINUTE);
    const before = world.assign(askFor('agent_ben'), START + 5 * MINUTE);
    const during = world.assign(askFor('agent_ben'), START + 15 * MINUTE);
    const after = world.assign(askFor('agent_ben'), START + 35 * MINUTE);

    expect(before.agentId).toBe('agent_ben');
    expect(during.agentId).toBeNull();
    expect(candidate(during, 'agent_ben')?.skipReason).toBe('offline');
    expect(during.explanation.summary).toContain('Ben Carter (offline)');
    expect(after.agentId).toBe('agent_ben');
  });

  it('an agent who is offline now was online then, and is chosen', async () => {
    await presence.set('agent_ben', 'offline', START - 120 * MINUTE);
    await presence.set('agent_ben', 'online', START - 60 * MINUTE);
    await presence.set('agent_ben', 'offline', START + 40 * MINUTE);
    expect(agentRow('agent_ben')?.status).toBe('offline');

    // The last change before the start (online at -60) is the starting state, not the current row.
    const world = worldBetween(START, START + 60 * MINUTE);
    expect(world.assign(askFor('agent_ben'), START + 5 * MINUTE).agentId).toBe('agent_ben');
    const later = world.assign(askFor('agent_ben'), START + 45 * MINUTE);
    expect(candidate(later, 'agent_ben')?.skipReason).toBe('offline');
  });

  it('a change at the very moment of a decision is in force for it', async () => {
    await presence.set('agent_ben', 'offline', START + 10 * MINUTE);
    const world = worldBetween(START, START + 60 * MINUTE);
    expect(world.assign(askFor('agent_ben'), START + 10 * MINUTE).agentId).toBeNull();
  });

  it('capacity as it was: full then though there is room now, and room then though full now', async () => {
    await manage('PATCH', '/api/agents/agent_ben', { capacity: 0 }, START - 30 * MINUTE);
    await manage('PATCH', '/api/agents/agent_ben', { capacity: 20 }, START + 30 * MINUTE);
    await manage('PATCH', '/api/agents/agent_chloe', { capacity: 0 }, START + 30 * MINUTE);
    expect(agentRow('agent_ben')?.capacity).toBe(20);
    expect(agentRow('agent_chloe')?.capacity).toBe(0);

    const world = worldBetween(START, START + 60 * MINUTE);
    const benThen = world.assign(askFor('agent_ben'), START + 5 * MINUTE);
    expect(benThen.agentId).toBeNull();
    expect(candidate(benThen, 'agent_ben')).toMatchObject({ capacity: 0, skipReason: 'at_capacity' });
    expect(world.assign(askFor('agent_chloe'), START + 5 * MINUTE).agentId).toBe('agent_chloe');

    expect(world.assign(askFor('agent_ben'), START + 35 * MINUTE).agentId).toBe('agent_ben');
    const chloeLater = world.assign(askFor('agent_chloe'), START + 35 * MINUTE);
    expect(candidate(chloeLater, 'agent_chloe')?.skipReason).toBe('at_capacity');
  });

  it('team membership as it was: someone who left the team later was still offered its conversations', async () => {
    await manage(
      'PATCH',
      '/api/teams/team_support',
      { memberIds: ['agent_ben', 'agent_chloe', 'agent_dev'] },
      START + 30 * MINUTE,
    );
    const world = worldBetween(START, START + 60 * MINUTE);
    const roundRobin = () => assignment({ strategy: 'round_robin', teamId: 'team_support' });
    expect(candidate(world.assign(roundRobin(), START + 5 * MINUTE), 'agent_ana')).toBeDefined();
    expect(candidate(world.assign(roundRobin(), START + 35 * MINUTE), 'agent_ana')).toBeUndefined();
  });

  it("load moves with the replay's own assignments and closes: least loaded spreads, a close frees its owner", () => {
    const world = worldBetween(START, START + 60 * MINUTE);
    const leastLoaded = (conversationId: string) =>
      assignment({ strategy: 'least_loaded', teamId: 'team_support', conversationId });
    const owners = new Map<string, string>();
    for (let i = 0; i < 12; i++) {
      const decision = world.assign(leastLoaded(`spread${i}`), START + i * MINUTE);
      expect(decision.agentId).not.toBeNull();
      owners.set(`spread${i}`, decision.agentId as string);
    }
    const perAgent = Object.values(world.loadByAgent()).filter((load) => load > 0);
    expect(perAgent.length).toBeGreaterThan(1);
    expect(Math.max(...perAgent) - Math.min(...perAgent)).toBeLessThanOrEqual(1);
    expect(perAgent.reduce((sum, load) => sum + load, 0)).toBe(12);

    // Two of one agent's conversations close: the next decision goes to them, seeing the lower load.
    const [freed] = [...owners.values()];
    const theirs = [...owners].filter(([, agentId]) => agentId === freed).map(([id]) => id);
    for (const conversationId of theirs.slice(0, 2)) world.close(conversationId);
    const next = world.assign(leastLoaded('after-closes'), START + 20 * MINUTE);
    expect(next.agentId).toBe(freed);
    expect(candidate(next, freed as string)?.openConversations).toBe(theirs.length - 2);
  });

  it('a replayed hour of traffic routes around an agent while they were offline', async () => {
    // One new conversation every 10 minutes; Ben is offline from minute 5 to minute 45.
    recordDemoTraffic(createWebhookIngest(db, 8), {
      conversations: 8,
      startAt: START,
      spacingMs: 10 * MINUTE,
    });
    await presence.set('agent_ben', 'offline', START + 5 * MINUTE);
    await presence.set('agent_ben', 'online', START + 45 * MINUTE);
    const history = createRecordedHistory(db);
    const graph = [...history.versionGraphs(DEMO_WORKFLOW_ID).values()][0];
    if (!graph) throw new Error('the demo workflow has no published version');

    const replay = createShadowReplay(history, {
      workflowId: DEMO_WORKFLOW_ID,
      target: { versionId: null, graph },
      from: START,
      to: START + 120 * MINUTE,
    });
    while (!replay.advance(3)) {
      // Slices, as the background job runs them.
    }
    const startedAt = new Map(
      db.$client
        .prepare<[], { conversationId: string; at: number }>(
          `SELECT json_extract(payload, '$.conversationId') AS conversationId, created_at AS at FROM outbox`,
        )
        .all()
        .map((row) => [row.conversationId, row.at - START]),
    );
    const benGot = replay
      .result()
      .conversations.filter((row) => row.after.assigneeId === 'agent_ben')
      .map((row) => startedAt.get(row.conversationId));
    // Round-robin over Ana, Ben, Chloé and Dev from minute 0: Ben's turns at 10 and 40 pass to Chloé
    // while he is offline; his next turn is at 70.
    expect(benGot).toEqual([70 * MINUTE]);
  });

  it('people who joined later are not there before; deactivated people drop out of their teams then', async () => {
    const admin = await accessApp(db, {
      register: async (inner) => {
        await inner.register(teamRoutes, { db, presence });
      },
    });
    const headers = await sessionHeaders(admin, DEMO_ADMIN.email, DEMO_PASSWORD);
    const through = { app: admin, headers };
    const gil = { name: 'Gil Nunes', email: 'gil@example.com', role: 'agent', password: 'a long password' };
    const { user } = await manage('POST', '/api/users', gil, START + 20 * MINUTE, through);
    await manage(
      'PATCH',
      `/api/agents/${user.id}`,
      { teamIds: ['team_support'] },
      START + 25 * MINUTE,
      through,
    );
    await manage('PATCH', '/api/users/agent_dev', { active: false }, START + 40 * MINUTE, through);
    await presence.set(user.id, 'online', START + 26 * MINUTE);
    await admin.close();

    const world = worldBetween(START, START + 60 * MINUTE);
    const roundRobin = () => assignment({ strategy: 'round_robin', teamId: 'team_support' });
    const early = world.assign(roundRobin(), START + 5 * MINUTE);
    expect(candidate(early, user.id)).toBeUndefined();
    expect(candidate(early, 'agent_dev')).toBeDefined();
    expect(() => world.assign(askFor(user.id), START + 10 * MINUTE)).toThrow(AssignmentError);

    const late = world.assign(roundRobin(), START + 45 * MINUTE);
    expect(candidate(late, user.id)).toBeDefined();
    expect(candidate(late, 'agent_dev')).toBeUndefined();
  });
});
