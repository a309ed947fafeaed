import type { ConversationChange } from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import { roleAllows } from '../access/routePolicy';
import { HttpError } from '../api/httpError';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';
import type { RoutedEventQueue } from './routedEventQueue';

export interface ConversationRoutesOptions {
  db: AppDatabase;
  events: RoutedEventQueue;
  onQueued: () => void;
  /** Tells the open pages that the conversation changed. */
  onChanged?: (conversationId: string, change: ConversationChange) => void;
}

/**
 * Agent actions that running workflows wait for. Each change and its routed event are stored in
 * one transaction, so the workflow hears of every acknowledgement exactly once, in order.
 */
export const conversationRoutes: FastifyPluginAsync<ConversationRoutesOptions> = async (app, options) => {
  const sqlite = options.db.$client;
  const conversation = sqlite.prepare<[string], { assignee_agent_id: string | null; status: string }>(
    `SELECT assignee_agent_id, status FROM conversations WHERE id = ?`,
  );
  const agentExists = sqlite.prepare<[string], number>(`SELECT 1 FROM agents WHERE id = ?`).pluck();
  const markAcknowledged = sqlite.prepare(
    `UPDATE conversations SET acknowledged_at = coalesce(acknowledged_at, ?) WHERE id = ?`,
  );
  const notAssignee = (assigneeId: string | null | undefined, agentId: string) =>
    new HttpError(
      409,
      'not_assignee',
      `the conversation is assigned to ${assigneeId ?? 'nobody'}, not ${agentId}`,
      'agentId',
    );
  // IMMEDIATE, waited for with the event loop free (see the route): waiting inside SQLite's busy
  // handler while the router worker committed held every webhook, signal and socket of the runtime.
  // The owner is checked under the lock: the worker may have reassigned the conversation (an
  // escalation) while the acknowledgement waited.
  const acknowledge = sqlite.transaction((conversationId: string, agentId: string, now: number) => {
    const assigneeId = conversation.get(conversationId)?.assignee_agent_id;
    if (assigneeId !== agentId) throw notAssignee(assigneeId, agentId);
    markAcknowledged.run(now, conversationId);
    options.events.enqueue(conversationId, { type: 'conversation.acknowledged', occurredAt: now, agentId });
  });

  app.post<{ Params: { conversationId: string }; Body: { agentId?: string } | undefined }>(
    '/api/conversations/:conversationId/acknowledge',
    {
      schema: {
        params: {
          type: 'object',
          properties: { conversationId: { type: 'string', minLength: 1 } },
          required: ['conversationId'],
        },
        body: {
          type: ['object', 'null'],
          properties: { agentId: { type: 'string', minLength: 1 } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { conversationId } = request.params;
      const actor = request.actor;
      // Signed in, one acknowledges for oneself; managers (and their integrations) may name the assignee.
      const agentId = request.body?.agentId ?? actor?.agentId;
      if (!agentId) throw new HttpError(400, 'invalid_request', 'agentId is required', 'agentId');
      if (actor && agentId !== actor.agentId && !roleAllows(actor.role, 'manager')) {
        throw new HttpError(403, 'forbidden', 'agents acknowledge only for themselves', 'agentId');
      }
      const row = conversation.get(conversationId);
      if (!row)
        throw new HttpError(
          404,
          'conversation_not_found',
          `no conversation "${conversationId}"`,
          'conversationId',
        );
      if (!agentExists.get(agentId))
        throw new HttpError(404, 'agent_not_found', `no agent "${agentId}"`, 'agentId');
      const now = Date.now();
      await writeWhenFree(sqlite, () => acknowledge.immediate(conversationId, agentId, now));
      options.onQueued();
      options.onChanged?.(conversationId, 'acknowledged');
      return reply.status(202).send({ acknowledged: true });
    },
  );
};
