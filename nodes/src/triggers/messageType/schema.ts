import { z } from 'zod';

/** The kinds of message a manager thinks in; several WhatsApp message types fold into one. */
export const messageKindSchema = z.enum([
  'text',
  'media',
  'sticker',
  'location',
  'contacts',
  'button_reply',
  'reaction',
  'order',
]);
export type MessageKind = z.infer<typeof messageKindSchema>;

export const messageTypeConfigSchema = z.object({
  types: z.array(messageKindSchema).min(1, 'choose at least one kind of message'),
});
export type MessageTypeConfig = z.infer<typeof messageTypeConfigSchema>;
