import { slaPolicyInputSchema } from '@switchboard/nodes';
import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../api/httpError';
import { parseWith } from '../api/parseWith';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';
import type { SlaPolicyStore } from './slaPolicyStore';

export interface SlaRoutesOptions {
  db: AppDatabase;
  policies: SlaPolicyStore;
}

/** SLA policies and a conversation's clocks. Changing a policy is managers' work (routePolicy). */
export const slaRoutes: FastifyPluginAsync<SlaRoutesOptions> = async (app, { db, policies }) => {
  // Changes wait for the write lock with the event loop free (see writeWhenFree).
  const whenFree = <T>(write: () => T) => writeWhenFree(db.$client, write);
  const clocksOf = db.$client.prepare(
    `SELECT measure, cycle, policy_id AS policyId, state, started_at AS startedAt, target_ms AS targetMs,
            elapsed_ms AS elapsedMs, warn_at AS warnAt, due_at AS dueAt, stopped_at AS stoppedAt
       FROM sla_clocks WHERE conversation_id = ?
      ORDER BY opened_at DESC, CASE measure WHEN 'first_response' THEN 0 WHEN 'next_response' THEN 1 ELSE 2 END, cycle`,
  );

  function found(id: string) {
    const policy = policies.get(id);
    if (!policy) throw new HttpError(404, 'sla_policy_not_found', `no SLA policy "${id}"`, 'id');
    return policy;
  }

  app.get('/api/sla/policies', async () => ({ policies: policies.list() }));
  app.get<{ Params: { id: string } }>('/api/sla/policies/:id', async (request) => found(request.params.id));
  app.post('/api/sla/policies', async (request, reply) => {
    const input = parseWith(slaPolicyInputSchema, request.body);
    return reply.status(201).send(await whenFree(() => policies.create(input, Date.now())));
  });
  app.put<{ Params: { id: string } }>('/api/sla/policies/:id', async (request) => {
    found(request.params.id);
    const input = parseWith(slaPolicyInputSchema, request.body);
    return whenFree(() => policies.update(request.params.id, input, Date.now()));
  });
  app.delete<{ Params: { id: string } }>('/api/sla/policies/:id', async (request, reply) => {
    found(request.params.id);
    await whenFree(() => policies.remove(request.params.id));
    return reply.status(204).send();
  });
  app.get<{ Params: { conversationId: string } }>(
    '/api/conversations/:conversationId/sla',
    async (request) => ({
      clocks: clocksOf.all(request.params.conversationId),
    }),
  );
};
