import { z } from 'zod';

/**
 * What the dispatcher hands to a router shard for each outbox row: ids and the few facts routing
 * needs. Message bodies and media stay in SQLite; text is carried (capped) because keyword and
 * rule conditions read it and the workflow must not touch the database.
 */
const routedEventBase = {
  /** Outbox sequence: strictly increasing, the shard's high-water mark is kept over it. */
  seq: z.number().int().positive(),
  conversationId: z.string(),
  businessNumberId: z.string(),
  customerWaId: z.string(),
  /** Published version that a new execution of this conversation starts on (null: none published). */
  workflowVersionId: z.string().nullable(),
  occurredAt: z.number().int(),
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
});

export const routedEventSchema = z.discriminatedUnion('type', [messageReceivedEventSchema]);
export type MessageReceivedEvent = z.infer<typeof messageReceivedEventSchema>;
export type RoutedEvent = z.infer<typeof routedEventSchema>;
