import { randomUUID } from 'node:crypto';
import { newApiTokenSchema, newUserSchema, type Role, userChangeSchema } from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../api/httpError';
import { parseInput } from '../api/parseInput';
import type { AppDatabase } from '../db/database';
import { transactWhenFree } from '../db/writeLock';
import { prepareAvailabilityHistory } from '../team/availabilityHistory';
import type { Identities } from './identities';
import { hashPassword, newSecret } from './secrets';

export interface UserRoutesOptions {
  db: AppDatabase;
  identities: Identities;
}

interface UserRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  hasPassword: number;
  deactivatedAt: number | null;
}

const idParams = z.object({ id: z.string().min(1) });
const auditQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

/** People who can sign in, their roles, integration tokens and the audit log: admins only (route policy). */
export const userRoutes: FastifyPluginAsync<UserRoutesOptions> = async (app, { db, identities }) => {
  const sqlite = db.$client;
  const availability = prepareAvailabilityHistory(db);
  const users = sqlite.prepare<[], UserRow>(
    `SELECT id, name, email, role, password_hash IS NOT NULL AS hasPassword, deactivated_at AS deactivatedAt
       FROM agents ORDER BY name`,
  );
  const user = sqlite.prepare<[string], UserRow>(
    `SELECT id, name, email, role, password_hash IS NOT NULL AS hasPassword, deactivated_at AS deactivatedAt
       FROM agents WHERE id = ?`,
  );
  const emailTaken = sqlite.prepare<[string], number>(`SELECT 1 FROM agents WHERE lower(email) = ?`).pluck();
  const insertUser = sqlite.prepare(
    `INSERT INTO agents (id, name, email, role, password_hash) VALUES (?, ?, ?, ?, ?)`,
  );
  const tokens = sqlite.prepare(
    `SELECT id, name, agent_id AS agentId, created_by AS createdBy, last_used_at AS lastUsedAt,
            revoked_at AS revokedAt, created_at AS createdAt FROM api_tokens ORDER BY created_at DESC`,
  );
  const revokeToken = sqlite.prepare(
    `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`,
  );
  const endSessionsOf = sqlite.prepare(`DELETE FROM sessions WHERE agent_id = ?`);
  const audit = sqlite.prepare<[number]>(
    `SELECT id, actor_agent_id AS actorAgentId, via, method, route, params, body, status_code AS statusCode, at
       FROM audit_log ORDER BY id DESC LIMIT ?`,
  );

  const toUser = (row: UserRow) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    hasPassword: row.hasPassword === 1,
    active: row.deactivatedAt === null,
  });
  const existing = (id: string) => {
    const row = user.get(id);
    if (!row) throw new HttpError(404, 'user_not_found', `no user "${id}"`, 'id');
    return row;
  };

  app.get('/api/users', async () => ({ users: users.all().map(toUser) }));

  app.post('/api/users', async (request, reply) => {
    const input = parseInput(newUserSchema, request.body);
    if (emailTaken.get(input.email))
      throw new HttpError(409, 'email_taken', `${input.email} already has an account`, 'email');
    const id = input.id ?? `agent_${randomUUID().slice(0, 8)}`;
    if (user.get(id)) throw new HttpError(409, 'id_taken', `the id "${id}" is taken`, 'id');
    const passwordHash = await hashPassword(input.password);
    // Shadow replay leaves people out of any time before they joined.
    // The availability history reads before it writes: IMMEDIATE (see transactWhenFree).
    await transactWhenFree(sqlite, () =>
      availability.changing([id], Date.now(), 'created', () =>
        insertUser.run(id, input.name, input.email, input.role, passwordHash),
      ),
    );
    return reply.status(201).send({ user: toUser(existing(id)) });
  });

  app.patch('/api/users/:id', async (request) => {
    const { id } = parseInput(idParams, request.params);
    existing(id);
    const change = parseInput(userChangeSchema, request.body);
    if (
      id === request.actor?.agentId &&
      ((change.role !== undefined && change.role !== 'admin') || change.active === false)
    ) {
      // Otherwise the last admin can lock everyone out of user management.
      throw new HttpError(409, 'own_admin_rights', 'you cannot remove your own admin rights', 'role');
    }
    const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
    // Only deactivation may read first (the availability history), but one rule for all: IMMEDIATE.
    await transactWhenFree(sqlite, () => {
      if (change.name !== undefined)
        sqlite.prepare(`UPDATE agents SET name = ? WHERE id = ?`).run(change.name, id);
      if (change.role !== undefined)
        sqlite.prepare(`UPDATE agents SET role = ? WHERE id = ?`).run(change.role, id);
      if (passwordHash !== undefined) {
        sqlite.prepare(`UPDATE agents SET password_hash = ? WHERE id = ?`).run(passwordHash, id);
        endSessionsOf.run(id);
      }
      if (change.active !== undefined) {
        const now = Date.now();
        availability.changing([id], now, change.active ? 'reactivated' : 'deactivated', () =>
          sqlite
            .prepare(`UPDATE agents SET deactivated_at = ?, status = 'offline' WHERE id = ?`)
            .run(change.active ? null : now, id),
        );
        if (!change.active) endSessionsOf.run(id);
      }
    });
    return { user: toUser(existing(id)) };
  });

  app.get('/api/tokens', async () => ({ tokens: tokens.all() }));

  /** The token's plaintext is in this reply only; the database keeps its hash. */
  app.post('/api/tokens', async (request, reply) => {
    const input = parseInput(newApiTokenSchema, request.body);
    existing(input.agentId);
    const id = `tok_${randomUUID().slice(0, 12)}`;
    const secret = newSecret('sbt_');
    identities.registerToken(
      { id, name: input.name, secret, agentId: input.agentId, createdBy: request.actor?.agentId ?? null },
      Date.now(),
    );
    return reply.status(201).send({ id, name: input.name, agentId: input.agentId, token: secret });
  });

  app.delete('/api/tokens/:id', async (request, reply) => {
    const { id } = parseInput(idParams, request.params);
    if (revokeToken.run(Date.now(), id).changes === 0)
      throw new HttpError(404, 'token_not_found', `no token "${id}"`, 'id');
    return reply.status(204).send();
  });

  app.get('/api/audit', async (request) => {
    const { limit } = parseInput(auditQuery, request.query);
    return { entries: audit.all(limit) };
  });
};
