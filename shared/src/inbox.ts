import { z } from 'zod';
import { assignmentExplanationSchema } from './assignment';
import { prioritySchema } from './events';

export const inboxViewSchema = z.enum(['mine', 'team', 'unassigned', 'mentions', 'all']);
export type InboxView = z.infer<typeof inboxViewSchema>;

export const inboxQuerySchema = z.object({
  view: inboxViewSchema.default('mine'),
  tag: z.string().min(1).max(64).optional(),
  priority: prioritySchema.optional(),
  status: z.enum(['open', 'closed']).optional(),
  /**
   * SLA due: the customer's last message has waited at least this many minutes without a reply
   * from us (0: every conversation waiting for a reply).
   */
  waitingMinutes: z.coerce
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .optional(),
  /**
   * An SLA is due within this many minutes or already breached (0: breached only): a running SLA
   * policy clock (sla_clocks) or a waiting SLA timer node of a workflow.
   */
  slaDueWithinMinutes: z.coerce
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .optional(),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

/** The SLA that falls due first: a policy clock (with its measure) or a workflow's SLA timer node. */
export const conversationSlaSchema = z.object({
  source: z.enum(['policy', 'timer']),
  measure: z.enum(['first_response', 'next_response', 'resolution']).nullable(),
  dueAt: z.number(),
  breached: z.boolean(),
});
export type ConversationSla = z.infer<typeof conversationSlaSchema>;

export const conversationSummarySchema = z.object({
  id: z.string(),
  customer: z.object({ waId: z.string(), name: z.string().nullable() }),
  status: z.enum(['open', 'closed']),
  priority: prioritySchema,
  tags: z.array(z.string()),
  assigneeAgentId: z.string().nullable(),
  teamId: z.string().nullable(),
  acknowledgedAt: z.number().nullable(),
  preview: z.string().nullable(),
  lastMessageAt: z.number().nullable(),
  /** When the customer started waiting for our reply; null when the last word was ours. */
  waitingSince: z.number().nullable(),
  /** Deadline of the earliest SLA still running or breached for it, if any (same as `sla.dueAt`). */
  slaDueAt: z.number().nullable(),
  sla: conversationSlaSchema.nullable(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const threadMessageSchema = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  type: z.string(),
  text: z.string().nullable(),
  /** Meta's media id for images, audio, video, documents and stickers (served by `/api/media/:mediaId`). */
  mediaId: z.string().nullable(),
  caption: z.string().nullable(),
  sentAt: z.number(),
  status: z.enum(['sent', 'delivered', 'read', 'failed']).nullable(),
  statusAt: z.number().nullable(),
  /** For a failed message: Meta's error titles/details, readable. */
  failureReason: z.string().nullable(),
});
export type ThreadMessage = z.infer<typeof threadMessageSchema>;

export const conversationNoteSchema = z.object({
  id: z.string(),
  authorAgentId: z.string().nullable(),
  authorName: z.string().nullable(),
  text: z.string(),
  mentions: z.array(z.string()),
  createdAt: z.number(),
});
export type ConversationNote = z.infer<typeof conversationNoteSchema>;

export const timelineEntrySchema = z.object({
  at: z.number(),
  nodeId: z.string(),
  nodeType: z.string(),
  status: z.string(),
  output: z.string().nullable(),
  cause: z.string().nullable(),
  error: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const conversationAssignmentSchema = z.object({
  id: z.string(),
  agentId: z.string().nullable(),
  createdAt: z.number(),
  explanation: assignmentExplanationSchema,
});

export const conversationDetailSchema = z.object({
  conversation: conversationSummarySchema,
  messages: z.array(threadMessageSchema),
  notes: z.array(conversationNoteSchema),
  assignments: z.array(conversationAssignmentSchema),
  timeline: z.array(timelineEntrySchema),
});
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;

export const noteInputSchema = z.object({ text: z.string().trim().min(1).max(5000) });

export const conversationChangeInputSchema = z
  .object({
    tags: z.array(z.string().trim().min(1).max(64)).max(50),
    priority: prioritySchema,
  })
  .partial();

export const handOffSchema = z.object({
  agentId: z.string().min(1),
  note: z.string().trim().max(5000).optional(),
});
