import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, DEMO_PASSWORD } from '../../src/access/bootstrapAccess';
import { conversationRoutes } from '../../src/conversations/conversationRoutes';
import type { AppDatabase } from '../../src/db/database';
import { DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import { workflowRoutes } from '../../src/workflows/workflowRoutes';
import { accessApp, sessionHeaders } from '../support/accessApp';
import { acknowledgeOrEscalate } from '../support/escalationGraph';
import { demoDatabase } from '../support/testDatabase';

let db: AppDatabase;
let app: FastifyInstance;

async function start(options: { demo?: boolean; trustProxy?: boolean } = {}) {
  const demo = demoDatabase();
  db = demo.db;
  app = await accessApp(db, {
    ...options,
    register: async (inner) => {
      await inner.register(workflowRoutes, { workflows: demo.workflows });
      await inner.register(conversationRoutes, {
        db,
        events: { enqueue: () => true } as never,
        onQueued: () => {},
      });
    },
  });
}

beforeEach(() => start());
afterEach(async () => {
  await app.close();
  db.$client.close();
});

const publish = (headers: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: `/api/workflows/${DEMO_WORKFLOW_ID}/publish`,
    headers,
    payload: { graph: acknowledgeOrEscalate(15), note: 'access test' },
  });

const audit = () =>
  db.$client
    .prepare(`SELECT actor_agent_id, via, method, route, body, status_code FROM audit_log ORDER BY id`)
    .all() as Array<{
    actor_agent_id: string | null;
    via: string;
    method: string;
    route: string;
    body: string | null;
    status_code: number;
  }>;

describe('signing in', () => {
  it('without a session or token the API answers 401; the demo password opens an httpOnly, SameSite=Lax session', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/api/workflows' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthenticated');

    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'Ana@demo.switchboard', password: DEMO_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user).toMatchObject({ id: 'agent_ana', role: 'agent', teamIds: ['team_support'] });
    const setCookie = login.headers['set-cookie'] as string[];
    const session = setCookie.find((line) => line.startsWith('sb_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).not.toMatch(/Secure/);
    // The CSRF cookie must be readable by the page, which echoes it in a header.
    expect(setCookie.find((line) => line.startsWith('sb_csrf='))).not.toMatch(/HttpOnly/);

    const headers = await sessionHeaders(app, 'ana@demo.switchboard', DEMO_PASSWORD);
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(me.json().user.email).toBe('ana@demo.switchboard');
  });

  it('marks the session cookie Secure when the app is reached over https', async () => {
    await app.close();
    db.$client.close();
    await start({ trustProxy: true });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: 'ana@demo.switchboard', password: DEMO_PASSWORD },
    });
    expect((login.headers['set-cookie'] as string[])[0]).toMatch(/; Secure/);
  });

  it('stores passwords as argon2id, never in clear', () => {
    const stored = db.$client
      .prepare(`SELECT password_hash FROM agents WHERE id = 'agent_ana'`)
      .pluck()
      .get();
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('a wrong password is 401 and, five times for one e-mail, locks that e-mail for a while (429)', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'ana@demo.switchboard', password: `guess-${attempt}` },
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error).toMatchObject({ code: 'invalid_credentials', field: 'password' });
    }
    const locked = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ana@demo.switchboard', password: DEMO_PASSWORD },
    });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Another account from the same address is not locked by Ana's.
    await expect(sessionHeaders(app, 'ben@demo.switchboard', DEMO_PASSWORD)).resolves.toBeDefined();
  });

  it('400 names the field for a malformed sign-in', async () => {
    const reply = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'not-an-email' },
    });
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error.field).toBe('email');
  });

  it('outside demo mode the demo accounts cannot sign in', async () => {
    await app.close();
    await start({ demo: false });
    const reply = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ana@demo.switchboard', password: DEMO_PASSWORD },
    });
    expect(reply.statusCode).toBe(401);
  });
});

describe('roles and CSRF', () => {
  it('an agent gets 403 publishing a workflow; a manager may', async () => {
    const ana = await sessionHeaders(app, 'ana@demo.switchboard', DEMO_PASSWORD);
    const refused = await publish(ana);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'forbidden' });
    expect(refused.json().error.message).toContain('manager');

    const ben = await sessionHeaders(app, 'ben@demo.switchboard', DEMO_PASSWORD);
    expect((await publish(ben)).statusCode).toBe(201);
  });

  it('a session mutation without the CSRF header is refused, even for an admin', async () => {
    const admin = await sessionHeaders(app, DEMO_ADMIN.email, DEMO_PASSWORD);
    const noHeader = await publish({ cookie: admin.cookie });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().error.code).toBe('csrf_token_invalid');
    const wrongHeader = await publish({ cookie: admin.cookie, 'x-csrf-token': 'forged' });
    expect(wrongHeader.statusCode).toBe(403);
  });

  it('a manager cannot manage users; an admin can, and the new person signs in', async () => {
    const payload = {
      name: 'Gil Nunes',
      email: 'gil@example.com',
      role: 'agent',
      password: 'a long password',
    };
    const ben = await sessionHeaders(app, 'ben@demo.switchboard', DEMO_PASSWORD);
    expect((await app.inject({ method: 'POST', url: '/api/users', headers: ben, payload })).statusCode).toBe(
      403,
    );
    expect((await app.inject({ method: 'GET', url: '/api/users', headers: ben })).statusCode).toBe(403);

    const admin = await sessionHeaders(app, DEMO_ADMIN.email, DEMO_PASSWORD);
    const created = await app.inject({ method: 'POST', url: '/api/users', headers: admin, payload });
    expect(created.statusCode).toBe(201);
    expect(created.json().user).toMatchObject({ email: 'gil@example.com', role: 'agent', hasPassword: true });
    await expect(sessionHeaders(app, 'gil@example.com', 'a long password')).resolves.toBeDefined();

    const duplicate = await app.inject({ method: 'POST', url: '/api/users', headers: admin, payload });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.field).toBe('email');
  });

  it('an agent acknowledges for themselves without naming anyone (no body needed), never for another', async () => {
    db.$client
      .prepare(
        `INSERT INTO conversations (id, business_number_id, contact_id, customer_wa_id, assignee_agent_id) VALUES ('c1', 'n', 'k', 'w', 'agent_ana')`,
      )
      .run();
    const ana = await sessionHeaders(app, 'ana@demo.switchboard', DEMO_PASSWORD);
    const own = await app.inject({ method: 'POST', url: '/api/conversations/c1/acknowledge', headers: ana });
    expect(own.statusCode).toBe(202);
    const chloe = await sessionHeaders(app, 'chloe@demo.switchboard', DEMO_PASSWORD);
    const notHers = await app.inject({
      method: 'POST',
      url: '/api/conversations/c1/acknowledge',
      headers: chloe,
    });
    expect(notHers.statusCode).toBe(409);
    expect(notHers.json().error.code).toBe('not_assignee');
  });

  it('an agent acknowledges only for themselves', async () => {
    const ana = await sessionHeaders(app, 'ana@demo.switchboard', DEMO_PASSWORD);
    const reply = await app.inject({
      method: 'POST',
      url: '/api/conversations/c1/acknowledge',
      headers: ana,
      payload: { agentId: 'agent_ben' },
    });
    expect(reply.statusCode).toBe(403);
  });
});

describe('API tokens', () => {
  it('act as their person with a Bearer header, are stored hashed, and stop working when revoked', async () => {
    const admin = await sessionHeaders(app, DEMO_ADMIN.email, DEMO_PASSWORD);
    const created = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: admin,
      payload: { name: 'CRM sync', agentId: 'agent_ana' },
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    expect(token).toMatch(/^sbt_/);
    const stored = db.$client.prepare(`SELECT token_hash FROM api_tokens WHERE id = ?`).pluck().get(id);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(token);

    const bearer = { authorization: `Bearer ${token}` };
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer });
    expect(me.json().user.id).toBe('agent_ana');
    // Ana's token has Ana's role; no CSRF header is needed without a cookie.
    expect((await publish(bearer)).statusCode).toBe(403);

    expect(
      (await app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: admin })).statusCode,
    ).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).statusCode).toBe(401);
  });
});

describe('audit log', () => {
  it('records who changed what, refusals included, with passwords redacted', async () => {
    const ana = await sessionHeaders(app, 'ana@demo.switchboard', DEMO_PASSWORD);
    await publish(ana);
    const admin = await sessionHeaders(app, DEMO_ADMIN.email, DEMO_PASSWORD);
    await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin,
      payload: { name: 'Gil', email: 'gil@example.com', role: 'manager', password: 'a long password' },
    });
    const rows = audit().filter((row) => row.route !== '/api/auth/login');
    expect(rows).toEqual([
      expect.objectContaining({
        actor_agent_id: 'agent_ana',
        via: 'session',
        route: '/api/workflows/:workflowId/publish',
        status_code: 403,
      }),
      expect.objectContaining({
        actor_agent_id: DEMO_ADMIN.id,
        method: 'POST',
        route: '/api/users',
        status_code: 201,
      }),
    ]);
    expect(JSON.parse(rows[1]?.body ?? '{}')).toMatchObject({
      email: 'gil@example.com',
      password: '[redacted]',
    });
    const logins = audit().filter((row) => row.route === '/api/auth/login');
    expect(logins.map((row) => [row.actor_agent_id, row.status_code])).toEqual([
      ['agent_ana', 200],
      [DEMO_ADMIN.id, 200],
    ]);
  });
});
