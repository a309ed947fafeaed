import { z } from 'zod';
import { type InboundMessageType, inboundMessageTypeSchema } from './events';

/*
 * WhatsApp Business Cloud API webhook payloads, as Meta posts them. Objects are `looseObject`
 * because Meta adds fields without notice; we must accept and store those, not reject them.
 */

export const waContactSchema = z.looseObject({
  wa_id: z.string().min(1),
  // Contacts can arrive without a profile (e.g. users who hid their name).
  profile: z.looseObject({ name: z.string().optional() }).optional(),
});

export const waInboundMessageSchema = z.looseObject({
  id: z.string().min(1),
  from: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/, 'unix seconds as a string'),
  type: z.string().min(1),
  text: z.looseObject({ body: z.string() }).optional(),
  button: z.looseObject({ text: z.string().optional(), payload: z.string().optional() }).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
    })
    .optional(),
  image: z.looseObject({ id: z.string().optional(), caption: z.string().optional() }).optional(),
  video: z.looseObject({ id: z.string().optional(), caption: z.string().optional() }).optional(),
  document: z.looseObject({ id: z.string().optional(), caption: z.string().optional() }).optional(),
});
export type WaInboundMessage = z.infer<typeof waInboundMessageSchema>;

export const waErrorSchema = z.looseObject({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
});

export const waStatusSchema = z.looseObject({
  /** The `wamid` of the message we sent. */
  id: z.string(),
  status: z.string(),
  timestamp: z.string(),
  recipient_id: z.string().optional(),
  errors: z.array(waErrorSchema).optional(),
});
export type WaStatus = z.infer<typeof waStatusSchema>;

export const waChangeValueSchema = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: z
    .looseObject({ display_phone_number: z.string().optional(), phone_number_id: z.string().min(1) })
    .optional(),
  contacts: z.array(waContactSchema).optional(),
  messages: z.array(waInboundMessageSchema).optional(),
  statuses: z.array(waStatusSchema).optional(),
});

export const waWebhookSchema = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      id: z.string(),
      changes: z.array(z.looseObject({ field: z.string(), value: waChangeValueSchema })),
    }),
  ),
});
export type WaWebhook = z.infer<typeof waWebhookSchema>;

/** Our name for a Cloud API message type; anything Meta adds later routes as `unsupported`. */
export function inboundMessageType(message: WaInboundMessage): InboundMessageType {
  const parsed = inboundMessageTypeSchema.safeParse(message.type);
  return parsed.success ? parsed.data : 'unsupported';
}

/** The human-readable text of a message, when it has one (body, caption, reply title). */
export function inboundMessageText(message: WaInboundMessage): string | null {
  return (
    message.text?.body ??
    message.interactive?.button_reply?.title ??
    message.interactive?.list_reply?.title ??
    message.button?.text ??
    message.image?.caption ??
    message.video?.caption ??
    message.document?.caption ??
    null
  );
}
