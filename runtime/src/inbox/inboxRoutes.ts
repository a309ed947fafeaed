import {
  type AssignmentExplanation,
  conversationChangeInputSchema,
  handOffSchema,
  inboxQuerySchema,
  noteInputSchema,
  type Priority,
} from '@switchboard/shared';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../access/identities';
import { roleAllows } from '../access/routePolicy';
import { HttpError } from '../api/httpError';
import { parseInput } from '../api/parseInput';
import type { AssignmentViews } from '../assignment/assignmentViews';
import { type NoteRow, prepareConversationWrites } from '../conversations/conversationWrites';
import type { RoutedEventQueue } from '../conversations/routedEventQueue';
import type { AppDatabase } from '../db/database';
import { timeOrderedId } from '../db/timeOrderedId';
import { writeWhenFree } from '../db/writeLock';
import type { NotificationRequest, Notifier } from '../effects/notifications';
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

/** A hand-off as the route decided it, for the transaction that stores it. */
interface HandOff {
  conversation: { id: string; teamId: string | null; assigneeAgentId: string | null };
  /** Whether the actor may hand off a conversation this agent owns (null: nobody). */
  mayHandOff: (assigneeId: string | null) => boolean;
  agentId: string;
  handOffNote: { authorAgentId: string; text: string } | null;
  assignmentId: string;
  explanation: AssignmentExplanation;
  /** The new owner's, unless they handed it to themselves. */
  notification: NotificationRequest | null;
  now: number;
}

/** The agent inbox: lists, the conversation view, and what agents do to a conversation. */
export const inboxRoutes: FastifyPluginAsync<InboxRoutesOptions> = async (app, options) => {
  const { db, queries, visibility, news, notify } = options;
  const sqlite = db.$client;
  const mentionsIn = createMentionResolver(db);
  const agentName = sqlite.prepare<[string], string>(`SELECT name FROM agents WHERE id = ?`).pluck();
  const activeAgent = sqlite
    .prepare<[string], number>(`SELECT 1 FROM agents WHERE id = ? AND deactivated_at IS NULL`)
    .pluck();
  const writes = prepareConversationWrites(db);
  const noteWithMentions = sqlite.transaction((note: NoteRow, mentioned: NotificationRequest | null) => {
    writes.insertNote(note);
    return mentioned ? notify.record(mentioned, note.createdAt) : [];
  });
  const handTo = sqlite.prepare(
    `UPDATE conversations SET assignee_agent_id = ?, acknowledged_at = NULL WHERE id = ?`,
  );
  const insertHandOff = sqlite.prepare(
    `INSERT INTO assignments (id, effect_key, conversation_id, agent_id, team_id, workflow_version_id, execution_id, node_id, explanation, created_at)
     VALUES (?, ?, ?, ?, ?, 'manual', 'manual', 'hand_off', ?, ?)`,
  );

  /**
   * Tags and priority as one change. The tags it replaces are read under the lock: a workflow may
   * have tagged the conversation since the agent's page loaded, and its tag-changed events must
   * name what really changed.
   */
  const changeConversation = sqlite.transaction(
    (conversationId: string, tags: string[] | undefined, priority: Priority | undefined, now: number) => {
      if (tags) {
        const before = writes.tagsOf(conversationId);
        writes.setTags(conversationId, tags);
        // Tag-triggered workflows hear of agents' tags the same way as of a workflow's.
        for (const [tag, change] of [
          ...tags.filter((t) => !before.includes(t)).map((t) => [t, 'added'] as const),
          ...before.filter((t) => !tags.includes(t)).map((t) => [t, 'removed'] as const),
        ]) {
          options.events.enqueue(conversationId, {
            type: 'conversation.tagChanged',
            occurredAt: now,
            tag,
            change,
          });
        }
      }
      if (priority) writes.setPriority(conversationId, priority);
    },
  );
  const assigneeOf = sqlite
    .prepare<[string], string | null>(`SELECT assignee_agent_id FROM conversations WHERE id = ?`)
    .pluck();
  /**
   * The hand-off, with who may make it checked under the lock against the owner then: the router
   * worker may have reassigned the conversation (an escalation) while the hand-off waited. The new
   * owner's notification is stored with it; what it still has to send is returned.
   */
  const handOff = sqlite.transaction((handing: HandOff) => {
    const { conversation, mayHandOff, agentId, handOffNote, assignmentId, explanation, notification, now } =
      handing;
    const assigneeId = assigneeOf.get(conversation.id) ?? null;
    if (!mayHandOff(assigneeId)) {
      // Allowed as the page saw it: the owner changed since, which the agent should see first.
      if (mayHandOff(conversation.assigneeAgentId))
        throw new HttpError(
          409,
          'reassigned',
          `the conversation was reassigned to ${assigneeId ?? 'nobody'} meanwhile`,
          'agentId',
        );
      throw new HttpError(
        403,
        'forbidden',
        'only the assignee (or a manager) hands a conversation off',
        'agentId',
      );
    }
    handTo.run(agentId, conversation.id);
    insertHandOff.run(
      assignmentId,
      `hand_off:${assignmentId}`,
      conversation.id,
      agentId,
      conversation.teamId,
      JSON.stringify(explanation),
      now,
    );
    if (handOffNote)
      writes.insertNote({
        id: timeOrderedId(),
        conversationId: conversation.id,
        authorAgentId: handOffNote.authorAgentId,
        text: handOffNote.text,
        mentions: [agentId],
        createdAt: now,
      });
    return notification ? notify.record(notification, now) : [];
  });

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
    const mentioned: NotificationRequest | null = mentions.length
      ? {
          key: `note:${id}:mention`,
          conversationId: conversation.id,
          to: { kind: 'agents', agentIds: mentions },
          channels: ['in_app', 'email'],
          title: `${actor.name} mentioned you`,
          body: text,
          slackWebhookUrl: null,
          reason: 'mention',
        }
      : null;
    // Every agent action waits for the write lock with the event loop free (see writeWhenFree): in
    // SQLite's busy handler it held every webhook and socket of the runtime while the worker committed.
    // The note and its mentions' notifications commit together: a crash between two writes would
    // have kept the note and told nobody.
    const toSend = await writeWhenFree(sqlite, () =>
      noteWithMentions.immediate(
        { id, conversationId: conversation.id, authorAgentId: actor.agentId, text, mentions, createdAt: now },
        mentioned,
      ),
    );
    news(conversation.id, 'note');
    await notify.send(toSend, now);
    return reply.status(201).send({ note: { id, text, mentions, createdAt: now } });
  });

  app.patch('/api/conversations/:conversationId', async (request) => {
    const conversation = visibleConversation(request);
    const change = parseInput(conversationChangeInputSchema, request.body);
    const now = Date.now();
    const tags = change.tags && [...new Set(change.tags)].sort();
    await writeWhenFree(sqlite, () =>
      changeConversation.immediate(conversation.id, tags, change.priority, now),
    );
    options.onQueued();
    if (tags) news(conversation.id, 'tags');
    if (change.priority) news(conversation.id, 'priority');
    return { conversation: queries.summary(conversation.id) };
  });

  for (const action of ['close', 'reopen'] as const) {
    app.post(`/api/conversations/:conversationId/${action}`, async (request) => {
      const conversation = visibleConversation(request);
      const now = Date.now();
      await writeWhenFree(sqlite, () => writes[action](conversation.id, now));
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
    const mayHandOff = (assigneeId: string | null) =>
      isManager || assigneeId === actor.agentId || (assigneeId === null && agentId === actor.agentId);
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
    const handOffNote = note ? { authorAgentId: actor.agentId, text: `Hand-off: ${note}` } : null;
    const notification: NotificationRequest | null =
      agentId === actor.agentId
        ? null
        : {
            key: `hand_off:${assignmentId}`,
            conversationId: conversation.id,
            to: { kind: 'agents', agentIds: [agentId] },
            channels: ['in_app', 'email'],
            title: `${actor.name} handed you a conversation`,
            body: summary,
            slackWebhookUrl: null,
            reason: 'mine',
          };
    const toSend = await writeWhenFree(sqlite, () =>
      handOff.immediate({
        conversation,
        mayHandOff,
        agentId,
        handOffNote,
        assignmentId,
        explanation,
        notification,
        now,
      }),
    );
    const assignment = options.assignments.byId(assignmentId);
    if (assignment) options.live.publish(agentId, { type: 'assignment.created', assignment });
    news(conversation.id, 'assigned');
    await notify.send(toSend, now);
    return reply.status(201).send({ conversation: queries.summary(conversation.id) });
  });
};
