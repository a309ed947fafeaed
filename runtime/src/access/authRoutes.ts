import { type CurrentUser, loginRequestSchema, type Role } from '@switchboard/shared';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../api/httpError';
import { parseInput } from '../api/parseInput';
import type { AppDatabase } from '../db/database';
import { CSRF_COOKIE, parseCookies, SESSION_COOKIE, serializeCookie } from './cookies';
import { type Identities, SESSION_TTL_MS } from './identities';
import type { LoginRateLimit } from './loginRateLimit';
import { decoyPasswordHash, verifyPassword } from './secrets';

export interface AuthRoutesOptions {
  db: AppDatabase;
  identities: Identities;
  rateLimit: LoginRateLimit;
  /** The newest live-feed number of a person: a page opening its socket asks for everything after it. */
  lastSeq?: (agentId: string) => number;
}

interface Credentials {
  id: string;
  passwordHash: string | null;
}

/** Sign in, sign out, and who am I. */
export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async (
  app,
  { db, identities, rateLimit, lastSeq },
) => {
  const sqlite = db.$client;
  const credentials = sqlite.prepare<[string], Credentials>(
    `SELECT id, password_hash AS passwordHash FROM agents WHERE lower(email) = ? AND deactivated_at IS NULL`,
  );
  const userRow = sqlite.prepare<
    [string],
    { id: string; name: string; email: string; role: Role; teamIds: string | null }
  >(
    `SELECT a.id, a.name, a.email, a.role,
            (SELECT group_concat(team_id) FROM team_members m WHERE m.agent_id = a.id) AS teamIds
       FROM agents a WHERE a.id = ?`,
  );
  const currentUser = (agentId: string): CurrentUser => {
    const row = userRow.get(agentId);
    if (!row) throw new HttpError(404, 'user_not_found', `no user "${agentId}"`);
    return { ...row, teamIds: row.teamIds ? row.teamIds.split(',') : [] };
  };

  app.post('/api/auth/login', { config: { access: 'public' } }, async (request, reply) => {
    const { email, password } = parseInput(loginRequestSchema, request.body);
    const now = Date.now();
    const wait = rateLimit.retryAfter(request.ip, email, now);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      reply.header('retry-after', String(seconds));
      throw new HttpError(429, 'too_many_attempts', `too many sign-in attempts; try again in ${seconds} s`);
    }
    const person = credentials.get(email);
    const valid = await verifyPassword(person?.passwordHash ?? (await decoyPasswordHash()), password);
    const succeeded = Boolean(person?.passwordHash) && valid;
    rateLimit.record(request.ip, email, succeeded, now);
    if (!person || !succeeded)
      throw new HttpError(401, 'invalid_credentials', 'wrong e-mail or password', 'password');

    const { sessionToken, csrfToken } = await identities.startSession(person.id, now);
    setSessionCookies(request, reply, sessionToken, csrfToken, SESSION_TTL_MS / 1000);
    const user = currentUser(person.id);
    // The audit hook records every attempt; this tells it who succeeded.
    request.actor = { agentId: user.id, name: user.name, role: user.role, via: 'session', csrfToken };
    return { user, csrfToken };
  });

  app.post('/api/auth/logout', { config: { access: 'agent' } }, async (request, reply) => {
    const session = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
    if (session) await identities.endSession(session);
    setSessionCookies(request, reply, '', '', 0);
    return reply.status(204).send();
  });

  app.get('/api/auth/me', { config: { access: 'agent' } }, async (request) => {
    const actor = request.actor;
    if (!actor) throw new HttpError(401, 'unauthenticated', 'sign in first');
    return {
      user: currentUser(actor.agentId),
      csrfToken: actor.csrfToken,
      lastSeq: lastSeq?.(actor.agentId) ?? 0,
    };
  });
};

function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  sessionToken: string,
  csrfToken: string,
  maxAge: number,
): void {
  // Secure whenever the app is reached over https (directly or behind a proxy when TRUST_PROXY is set).
  const secure = request.protocol === 'https';
  reply.header('set-cookie', [
    serializeCookie(SESSION_COOKIE, sessionToken, { httpOnly: true, secure, maxAge }),
    serializeCookie(CSRF_COOKIE, csrfToken, { httpOnly: false, secure, maxAge }),
  ]);
}
