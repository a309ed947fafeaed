import { z } from 'zod';

export const skipReasonSchema = z.enum(['offline', 'at_capacity', 'lacks_skill', 'off_shift', 'quiet_hours']);
export type SkipReason = z.infer<typeof skipReasonSchema>;

export const agentCandidateSchema = z.object({
  agentId: z.string(),
  name: z.string(),
  openConversations: z.number().int().nonnegative(),
  capacity: z.number().int().nonnegative(),
  /** Absent when the candidate was eligible. */
  skipReason: skipReasonSchema.optional(),
});
export type AgentCandidate = z.infer<typeof agentCandidateSchema>;

/** Why an assignment went where it went; stored with every assignment and shown to the agent. */
export const assignmentExplanationSchema = z.object({
  strategy: z.string(),
  teamId: z.string().nullable(),
  workflowVersionId: z.string(),
  nodeId: z.string(),
  path: z.array(z.string()),
  candidates: z.array(agentCandidateSchema),
  chosenAgentId: z.string().nullable(),
  summary: z.string(),
});
export type AssignmentExplanation = z.infer<typeof assignmentExplanationSchema>;

export const assignmentSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  agentId: z.string().nullable(),
  teamId: z.string().nullable(),
  workflowVersionId: z.string(),
  explanation: assignmentExplanationSchema,
  createdAt: z.number().int(),
  customer: z.object({ waId: z.string(), name: z.string().nullable() }),
  preview: z.string().nullable(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

/** Why a conversation changed, so open pages know what to fetch again. */
export const conversationChangeSchema = z.enum([
  'assigned',
  'message',
  'messageStatus',
  'note',
  'tags',
  'priority',
  'status',
  'acknowledged',
]);
export type ConversationChange = z.infer<typeof conversationChangeSchema>;

export const conversationChangeNewsSchema = z.object({
  conversationId: z.string(),
  change: conversationChangeSchema,
});
export type ConversationChangeNews = z.infer<typeof conversationChangeNewsSchema>;

/**
 * The most changes one `conversations.updated` message carries: a burst's news still leaves in
 * frames and journal rows of bounded size.
 */
export const MAX_CHANGES_PER_MESSAGE = 500;

/**
 * Each message a person's sockets receive carries `seq`, their own running number: a page that
 * reconnects with `?since=<last seq>` gets everything it missed before anything new.
 */
const seq = z.number().int().positive().optional();

/** Messages the runtime pushes over `/ws`. */
export const socketMessageSchema = z.discriminatedUnion('type', [
  /** `lastSeq`: the newest number already sent to this person, for a page that starts fresh. */
  z.object({
    type: z.literal('hello'),
    agentId: z.string(),
    lastSeq: z.number().int().nonnegative().optional(),
  }),
  z.object({ type: z.literal('assignment.created'), assignment: assignmentSchema, seq }),
  z.object({
    type: z.literal('notification'),
    notification: z.object({
      id: z.string(),
      conversationId: z.string().nullable(),
      title: z.string(),
      body: z.string(),
      createdAt: z.number().int(),
    }),
    seq,
  }),
  /** Conversation news for one person: every change of a batch that they may see, in one message. */
  z.object({
    type: z.literal('conversations.updated'),
    changes: z.array(conversationChangeNewsSchema).min(1).max(MAX_CHANGES_PER_MESSAGE),
    seq,
  }),
  /**
   * One change per message, as runtimes sent news before batching. Sent no more, but journals keep
   * such messages for 7 days and `/ws?since=` replays them.
   */
  z.object({
    type: z.literal('conversation.updated'),
    conversationId: z.string(),
    change: conversationChangeSchema,
    seq,
  }),
  z.object({
    type: z.literal('agent.status'),
    agentId: z.string(),
    status: z.enum(['online', 'away', 'offline']),
    seq,
  }),
]);
export type SocketMessage = z.infer<typeof socketMessageSchema>;

/**
 * The conversations a socket message says changed (assigned, written to, tagged…), whether it
 * carries a batch of news, one change of an older journal, or a new assignment; none for others.
 */
export function changedConversationIds(message: SocketMessage): string[] {
  switch (message.type) {
    case 'conversations.updated':
      return [...new Set(message.changes.map((news) => news.conversationId))];
    case 'conversation.updated':
      return [message.conversationId];
    case 'assignment.created':
      return [message.assignment.conversationId];
    case 'hello':
    case 'notification':
    case 'agent.status':
      return [];
  }
}

/** What a page may tell the runtime over its socket. */
export const clientSocketMessageSchema = z.discriminatedUnion('type', [
  /** The person is using the page: keeps them online, brings them back from away. */
  z.object({ type: z.literal('activity') }),
  z.object({ type: z.literal('status'), status: z.enum(['online', 'away', 'offline']) }),
]);
export type ClientSocketMessage = z.infer<typeof clientSocketMessageSchema>;
