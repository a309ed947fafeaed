import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { accessControl } from '../../src/access/accessControl';
import { authRoutes } from '../../src/access/authRoutes';
import { bootstrapAccess } from '../../src/access/bootstrapAccess';
import { createIdentities } from '../../src/access/identities';
import { LoginRateLimit } from '../../src/access/loginRateLimit';
import { userRoutes } from '../../src/access/userRoutes';
import { installErrorHandler } from '../../src/api/httpError';
import type { AppDatabase } from '../../src/db/database';

/**
 * A Fastify app with access control, sign-in and user management over `db`, for unit tests of
 * routes: register the routes under test with `register` (they get the same policy as in the app).
 */
export async function accessApp(
  db: AppDatabase,
  options: { demo?: boolean; trustProxy?: boolean; register?: (app: FastifyInstance) => Promise<void> } = {},
): Promise<FastifyInstance> {
  const identities = createIdentities(db);
  await bootstrapAccess(
    db,
    identities,
    { demo: options.demo ?? true, adminEmail: undefined, adminPassword: undefined, adminApiToken: undefined },
    pino({ level: 'silent' }),
    Date.now(),
  );
  const app = Fastify({ trustProxy: options.trustProxy ?? false });
  installErrorHandler(app);
  await app.register(accessControl, { db, identities });
  await app.register(authRoutes, {
    db,
    identities,
    rateLimit: new LoginRateLimit({ perAddress: 100, perEmail: 5, windowMs: 15 * 60_000 }),
  });
  await app.register(userRoutes, { db, identities });
  await options.register?.(app);
  return app;
}

/** Signs in through the API; the returned headers carry the session cookie and CSRF token. */
export async function sessionHeaders(app: FastifyInstance, email: string, password: string) {
  const reply = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (reply.statusCode !== 200) throw new Error(`sign-in as ${email}: ${reply.statusCode} ${reply.body}`);
  const cookie = reply.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { cookie, 'x-csrf-token': reply.json().csrfToken as string };
}
