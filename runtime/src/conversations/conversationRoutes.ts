import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../api/httpError';
import type { AppDatabase } from '../db/database';
import type { RoutedEventQueue } from './routedEventQueue';

export interface ConversationRoutesOptions {
  db: AppDatabase;
  events: RoutedEventQueue;
  onQueued: () => void;
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
  const acknowledge = sqlite.transaction((conversationId: string, agentId: string, now: number) => {
    markAcknowledged.run(now, conversationId);
    options.events.enqueue(conversationId, { type: 'conversation.acknowledged', occurredAt: now, agentId });
  });

  app.post<{ Params: { conversationId: string }; Body: { agentId: string } }>(
    '/api/conversations/:conversationId/acknowledge',
    {
      schema: {
        params: {
          type: 'object',
          properties: { conversationId: { type: 'string', minLength: 1 } },
          required: ['conversationId'],
        },
        body: {
          type: 'object',
          properties: { agentId: { type: 'string', minLength: 1 } },
          required: ['agentId'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { conversationId } = request.params;
      const { agentId } = request.body;
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
      if (row.assignee_agent_id !== agentId) {
        throw new HttpError(
          409,
          'not_assignee',
          `the conversation is assigned to ${row.assignee_agent_id ?? 'nobody'}, not ${agentId}`,
          'agentId',
        );
      }
      acknowledge(conversationId, agentId, Date.now());
      options.onQueued();
      return reply.status(202).send({ acknowledged: true });
    },
  );
};
