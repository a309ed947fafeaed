import type { RouteAccess } from '@switchboard/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { errorBody } from '../api/httpError';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';
import { CSRF_HEADER, parseCookies, SESSION_COOKIE } from './cookies';
import type { Actor, Identities } from './identities';
import { defaultAccess, isMutation, roleAllows } from './routePolicy';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Overrides the default policy of `routePolicy.ts` for this route. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The signed-in person (session or API token), or null. */
    actor: Actor | null;
  }
}

export interface AccessControlOptions {
  db: AppDatabase;
  identities: Identities;
}

const SECRET_KEYS = /password|token|secret/i;

/**
 * The one place access is decided: every request is identified (session cookie or bearer token) and
 * checked against its route's policy before any handler runs; browser mutations must carry the CSRF
 * token; and every mutation through the API is written to the audit log with who made it.
 */
export const accessControl = fastifyPlugin<AccessControlOptions>(
  async (app, { db, identities }) => {
    const sqlite = db.$client;
    const insertAudit = sqlite.prepare(
      `INSERT INTO audit_log (actor_agent_id, via, method, route, params, body, status_code, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );

    app.decorateRequest('actor', null);

    app.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const access = request.routeOptions.config?.access ?? defaultAccess(request.method, path);
      request.actor = identify(request, identities, Date.now());
      if (access === 'public' || access === 'signature') return;
      const actor = request.actor;
      if (!actor)
        return deny(reply, 401, 'unauthenticated', 'sign in first (session cookie or Bearer token)');
      if (!roleAllows(actor.role, access)) {
        return deny(reply, 403, 'forbidden', `this needs the ${access} role; you are ${actor.role}`);
      }
      if (actor.csrfToken !== null && isMutation(request.method)) {
        if (request.headers[CSRF_HEADER] !== actor.csrfToken) {
          return deny(reply, 403, 'csrf_token_invalid', `missing or wrong ${CSRF_HEADER} header`);
        }
      }
      if (path === '/ws' && !sameOrigin(request)) {
        return deny(reply, 403, 'forbidden_origin', 'the socket must be opened from this app');
      }
    });

    app.addHook('onResponse', async (request, reply) => {
      // A refused socket handshake never reached the websocket plugin, whose hooks end upgraded
      // sockets; left alone, the raw connection would stay open.
      if (request.headers.upgrade?.toLowerCase() === 'websocket' && reply.statusCode >= 400) {
        request.raw.socket?.destroy();
      }
      const path = request.url.split('?')[0] ?? '';
      if (!isMutation(request.method) || !path.startsWith('/api/')) return;
      // Anonymous 401s are noise (expired tabs); everything else, sign-in attempts included, is kept.
      if (!request.actor && reply.statusCode === 401 && !request.routeOptions.config?.access) return;
      const entry = [
        request.actor?.agentId ?? null,
        request.actor?.via ?? 'anonymous',
        request.method,
        request.routeOptions.url ?? path,
        JSON.stringify(request.params ?? {}),
        request.body === undefined ? null : JSON.stringify(redact(request.body)),
        reply.statusCode,
        Date.now(),
      ];
      // The reply is out; the entry waits for the write lock with the event loop free (see writeWhenFree).
      await writeWhenFree(sqlite, () => insertAudit.run(...entry));
    });
  },
  { name: 'switchboard-access-control' },
);

function identify(request: FastifyRequest, identities: Identities, now: number): Actor | null {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return identities.fromBearer(authorization.slice(7).trim(), now);
  const session = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
  return session ? identities.fromSession(session, now) : null;
}

function deny(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.status(status).send(errorBody(code, message));
}

/** Browsers send cookies on cross-site socket handshakes too; the Origin header tells them apart. */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SECRET_KEYS.test(key) ? '[redacted]' : redact(inner),
      ]),
    );
  }
  return value;
}
