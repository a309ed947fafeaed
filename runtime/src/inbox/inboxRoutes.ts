import {
  type AssignmentExplanation,
  conversationChangeInputSchema,
  handOffSchema,
  inboxQuerySchema,
  noteInputSchema,
} from '@switchboard/shared';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../access/identities';
import { roleAllows } from '../access/routePolicy';
import { HttpError } from '../api/httpError';
import { parseInput } from '../api/parseInput';
import type { AssignmentViews } from '../assignment/assignmentViews';
import type { RoutedEventQueue } from '../conversations/routedEventQueue';
import type { AppDatabase } from '../db/database';
import { timeOrderedId } from '../db/timeOrderedId';
import type { Notifier } from '../effects/notifications';
import type { LivePublisher } from '../live/liveHub';
import type { ConversationNews } from './conversationNews';
import type { InboxQueries } from './inboxQueries';
import { createMentionResolver } from './mentions';
import type { Visibility } from './visibility';

export interface InboxRoutesOptions {
  db: AppDatabase;
  queries: InboxQueries;
  visibility: Visibility;
  news: ConversationNews;
  notify: Notifier;
  live: LivePublisher;
  assignments: AssignmentViews;
  events: RoutedEventQueue;
  onQueued: () => void;
}

const conversationParams = z.object({ conversationId: z.string().min(1) });

/** The agent inbox: lists, the conversation view, and what agents do to a conversation. */
export const inboxRoutes: FastifyPluginAsync<InboxRoutesOptions> = async (app, options) => {
  const { db, queries, visibility, news, notify } = options;
  const sqlite = db.$client;
  const mentionsIn = createMentionResolver(db);
  const agentName = sqlite.prepare<[string], string>(`SELECT name FROM agents WHERE id = ?`).pluck();
  const activeAgent = sqlite
    .prepare<[string], number>(`SELECT 1 FROM agents WHERE id = ? AND deactivated_at IS NULL`)
    .pluck();
  const insertNote = sqlite.prepare(
    `INSERT INTO notes (id, conversation_id, author_agent_id, text, mentions, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );

  /** The conversation, if the actor may see it: 404 when it does not exist, 403 when it is not theirs to see. */
  function visibleConversation(request: FastifyRequest) {
    const { conversationId } = parseInput(conversationParams, request.params);
    const summary = queries.summary(conversationId);
    if (!summary) {
      throw new HttpError(
        404,
        'conversation_not_found',
        `no conversation "${conversationId}"`,
        'conversationId',
      );
    }
    if (!visibility(request.actor as Actor, conversationId)) {
      throw new HttpError(403, 'forbidden', 'this conversation belongs to another team', 'conversationId');
    }
    return summary;
  }

  app.get('/api/inbox', async (request) => {
    const query = parseInput(inboxQuerySchema, request.query);
    const actor = request.actor as Actor;
    if (query.view === 'all' && !roleAllows(actor.role, 'manager')) {
      throw new HttpError(403, 'forbidden', 'the "all" view is for managers', 'view');
    }
    return { conversations: queries.list(actor, query, Date.now()) };
  });

  app.get('/api/conversations/:conversationId', async (request) => {
    const { id } = visibleConversation(request);
    return queries.detail(id);
  });

  app.post('/api/conversations/:conversationId/notes', async (request, reply) => {
    const conversation = visibleConversation(request);
    const { text } = parseInput(noteInputSchema, request.body);
    const actor = request.actor as Actor;
    const mentions = mentionsIn(text).filter((agentId) => agentId !== actor.agentId);
    const id = timeOrderedId();
    const now = Date.now();
    insertNote.run(id, conversation.id, actor.agentId, text, JSON.stringify(mentions), now);
    news(conversation.id, 'note');
    if (mentions.length) {
      await notify(
        {
          key: `note:${id}:mention`,
          conversationId: conversation.id,
          to: { kind: 'agents', agentIds: mentions },
          channels: ['in_app', 'email'],
          title: `${actor.name} mentioned you`,
          body: text,
          slackWebhookUrl: null,
          reason: 'mention',
        },
        now,
      );
    }
    return reply.status(201).send({ note: { id, text, mentions, createdAt: now } });
  });

  app.patch('/api/conversations/:conversationId', async (request) => {
    const conversation = visibleConversation(request);
    const change = parseInput(conversationChangeInputSchema, request.body);
    const now = Date.now();
    const tags = change.tags && [...new Set(change.tags)].sort();
    sqlite.transaction(() => {
      if (tags) {
        sqlite
          .prepare(`UPDATE conversations SET tags = ? WHERE id = ?`)
          .run(JSON.stringify(tags), conversation.id);
        // Tag-triggered workflows hear of agents' tags the same way as of a workflow's.
        for (const tag of tags.filter((t) => !conversation.tags.includes(t))) {
          options.events.enqueue(conversation.id, {
            type: 'conversation.tagChanged',
            occurredAt: now,
            tag,
            change: 'added',
          });
        }
        for (const tag of conversation.tags.filter((t) => !tags.includes(t))) {
          options.events.enqueue(conversation.id, {
            type: 'conversation.tagChanged',
            occurredAt: now,
            tag,
            change: 'removed',
          });
        }
      }
      if (change.priority) {
        sqlite
          .prepare(`UPDATE conversations SET priority = ? WHERE id = ?`)
          .run(change.priority, conversation.id);
      }
    })();
    options.onQueued();
    if (tags) news(conversation.id, 'tags');
    if (change.priority) news(conversation.id, 'priority');
    return { conversation: queries.summary(conversation.id) };
  });

  for (const action of ['close', 'reopen'] as const) {
    app.post(`/api/conversations/:conversationId/${action}`, async (request) => {
      const conversation = visibleConversation(request);
      const now = Date.now();
      if (action === 'close') {
        sqlite
          .prepare(`UPDATE conversations SET status = 'closed', closed_at = ? WHERE id = ?`)
          .run(now, conversation.id);
      } else {
        sqlite
          .prepare(
            `UPDATE conversations SET status = 'open', closed_at = NULL, opened_at = ? WHERE id = ? AND status = 'closed'`,
          )
          .run(now, conversation.id);
      }
      news(conversation.id, 'status');
      return { conversation: queries.summary(conversation.id) };
    });
  }

  /** Reassign / hand off, with an optional note for the next person; the new owner must acknowledge again. */
  app.post('/api/conversations/:conversationId/hand-off', async (request, reply) => {
    const conversation = visibleConversation(request);
    const actor = request.actor as Actor;
    const { agentId, note } = parseInput(handOffSchema, request.body);
    const isManager = roleAllows(actor.role, 'manager');
    const mayHandOff =
      isManager ||
      conversation.assigneeAgentId === actor.agentId ||
      (conversation.assigneeAgentId === null && agentId === actor.agentId);
    if (!mayHandOff) {
      throw new HttpError(
        403,
        'forbidden',
        'only the assignee (or a manager) hands a conversation off',
        'agentId',
      );
    }
    if (!activeAgent.get(agentId))
      throw new HttpError(404, 'agent_not_found', `no agent "${agentId}"`, 'agentId');
    const now = Date.now();
    const assignmentId = timeOrderedId();
    const summary = `${actor.name} handed this conversation to ${agentName.get(agentId) ?? agentId}${note ? `: ${note}` : ''}`;
    const explanation: AssignmentExplanation = {
      strategy: 'hand_off',
      teamId: conversation.teamId,
      workflowVersionId: 'manual',
      nodeId: 'hand_off',
      path: [],
      candidates: [],
      chosenAgentId: agentId,
      summary,
    };
    sqlite.transaction(() => {
      sqlite
        .prepare(`UPDATE conversations SET assignee_agent_id = ?, acknowledged_at = NULL WHERE id = ?`)
        .run(agentId, conversation.id);
      sqlite
        .prepare(
          `INSERT INTO assignments (id, effect_key, conversation_id, agent_id, team_id, workflow_version_id, execution_id, node_id, explanation, created_at)
           VALUES (?, ?, ?, ?, ?, 'manual', 'manual', 'hand_off', ?, ?)`,
        )
        .run(
          assignmentId,
          `hand_off:${assignmentId}`,
          conversation.id,
          agentId,
          conversation.teamId,
          JSON.stringify(explanation),
          now,
        );
      if (note)
        insertNote.run(
          timeOrderedId(),
          conversation.id,
          actor.agentId,
          `Hand-off: ${note}`,
          JSON.stringify([agentId]),
          now,
        );
    })();
    const assignment = options.assignments.byId(assignmentId);
    if (assignment) options.live.publish(agentId, { type: 'assignment.created', assignment });
    news(conversation.id, 'assigned');
    if (agentId !== actor.agentId) {
      await notify(
        {
          key: `hand_off:${assignmentId}`,
          conversationId: conversation.id,
          to: { kind: 'agents', agentIds: [agentId] },
          channels: ['in_app', 'email'],
          title: `${actor.name} handed you a conversation`,
          body: summary,
          slackWebhookUrl: null,
          reason: 'mine',
        },
        now,
      );
    }
    return reply.status(201).send({ conversation: queries.summary(conversation.id) });
  });
};
