import { z } from 'zod';

/**
 * What the dispatcher hands to a router shard for each outbox row: ids and the few facts routing
 * needs. Message bodies and media stay in SQLite; text is carried (capped) because keyword and
 * rule conditions read it and the workflow must not touch the database.
 */
export const prioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof prioritySchema>;

/**
 * The conversation as it stood when the event was stored. Conditions read these; the workflow
 * cannot look them up itself (no I/O in workflow code), so the event carries them.
 */
export const conversationFactsSchema = z.object({
  tags: z.array(z.string()),
  priority: prioritySchema,
  openedAt: z.number().int(),
  lastInboundAt: z.number().int().nullable(),
  assigneeAgentId: z.string().nullable(),
  teamId: z.string().nullable(),
  contact: z.object({
    name: z.string().nullable(),
    language: z.string().nullable(),
    fields: z.record(z.string(), z.string()),
  }),
});
export type ConversationFacts = z.infer<typeof conversationFactsSchema>;

const routedEventBase = {
  /** Outbox sequence: strictly increasing, the shard's high-water mark is kept over it. */
  seq: z.number().int().positive(),
  conversationId: z.string(),
  businessNumberId: z.string(),
  customerWaId: z.string(),
  /** Published version that a new execution of this conversation starts on (null: none published). */
  workflowVersionId: z.string().nullable(),
  occurredAt: z.number().int(),
  facts: conversationFactsSchema,
  /**
   * Set on a re-drive: the outbox sequence of the recorded event this one processes again. The
   * execution it starts is named after that event, so its effect keys are the ones the first
   * attempt would have used, and nothing is done twice.
   */
  redriveOf: z.number().int().positive().optional(),
};

export const inboundMessageTypeSchema = z.enum([
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'unsupported',
]);
export type InboundMessageType = z.infer<typeof inboundMessageTypeSchema>;

export const ROUTED_TEXT_LIMIT = 1024;

export const messageReceivedEventSchema = z.object({
  type: z.literal('message.received'),
  ...routedEventBase,
  messageId: z.string(),
  messageType: inboundMessageTypeSchema,
  text: z.string().max(ROUTED_TEXT_LIMIT).nullable(),
  /** True when this message opened the conversation. */
  isNewConversation: z.boolean(),
  /** A tapped reply button's or list row's id, or a template quick-reply's payload. */
  replyId: z.string().max(256).nullable().optional(),
  /** The ad or post of a click-to-WhatsApp message (`referral.source_id`). */
  referralSourceId: z.string().max(256).nullable().optional(),
});

/** An agent took ownership: stops "wait for acknowledgement" and escalation timers. */
export const conversationAcknowledgedEventSchema = z.object({
  type: z.literal('conversation.acknowledged'),
  ...routedEventBase,
  agentId: z.string(),
});

/** An agent (or the workflow) sent a message to the customer. */
export const agentRepliedEventSchema = z.object({
  type: z.literal('agent.replied'),
  ...routedEventBase,
  agentId: z.string().nullable(),
  messageId: z.string(),
});

export const tagChangedEventSchema = z.object({
  type: z.literal('conversation.tagChanged'),
  ...routedEventBase,
  tag: z.string(),
  change: z.enum(['added', 'removed']),
});

/** A message we sent came back `failed` in a status webhook. */
export const deliveryFailedEventSchema = z.object({
  type: z.literal('message.deliveryFailed'),
  ...routedEventBase,
  messageId: z.string(),
  errorCode: z.number().int().nullable(),
  errorTitle: z.string().nullable(),
});

/** Started by a person (test run, "run workflow" button) rather than by WhatsApp. */
export const manualRunEventSchema = z.object({
  type: z.literal('manual.run'),
  ...routedEventBase,
  requestedBy: z.string().nullable(),
  /** Retry from a node: the new execution enters this node directly instead of starting at a trigger. */
  startAtNodeId: z.string().optional(),
});

/**
 * A `trigger.schedule` node's cron time came: one event per conversation the schedule targets.
 * `workflowVersionId` is the version the schedule was set up for, not the one current on arrival.
 */
export const scheduleFiredEventSchema = z.object({
  type: z.literal('schedule.fired'),
  ...routedEventBase,
  /** The schedule trigger that fired; no other node starts on this event. */
  triggerNodeId: z.string(),
  /** The cron time this run stands for (a late or retried run keeps it). */
  scheduledAt: z.number().int(),
});

/**
 * The SLA engine in the runtime found a clock at its warning share or past its target. One event per
 * clock and level, so a workflow triggered on it runs once.
 */
export const slaAlertEventSchema = z.object({
  type: z.literal('sla.alert'),
  ...routedEventBase,
  level: z.enum(['warning', 'breach']),
  measure: z.enum(['first_response', 'next_response', 'resolution']),
  policyId: z.string(),
  /** When the target is (warning) or was (breach) reached. */
  dueAt: z.number().int(),
});

export const routedEventSchema = z.discriminatedUnion('type', [
  messageReceivedEventSchema,
  conversationAcknowledgedEventSchema,
  agentRepliedEventSchema,
  tagChangedEventSchema,
  deliveryFailedEventSchema,
  manualRunEventSchema,
  scheduleFiredEventSchema,
  slaAlertEventSchema,
]);
export type MessageReceivedEvent = z.infer<typeof messageReceivedEventSchema>;
export type ConversationAcknowledgedEvent = z.infer<typeof conversationAcknowledgedEventSchema>;
export type AgentRepliedEvent = z.infer<typeof agentRepliedEventSchema>;
export type TagChangedEvent = z.infer<typeof tagChangedEventSchema>;
export type DeliveryFailedEvent = z.infer<typeof deliveryFailedEventSchema>;
export type ManualRunEvent = z.infer<typeof manualRunEventSchema>;
export type ScheduleFiredEvent = z.infer<typeof scheduleFiredEventSchema>;
export type SlaAlertEvent = z.infer<typeof slaAlertEventSchema>;
export type RoutedEvent = z.infer<typeof routedEventSchema>;
