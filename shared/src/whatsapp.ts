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

export const waErrorSchema = z.looseObject({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});
export type WaError = z.infer<typeof waErrorSchema>;

/** Image, audio, video, document and sticker: Meta sends an id to fetch later, never the bytes. */
export const waMediaSchema = z.looseObject({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  /** Documents only. */
  filename: z.string().optional(),
  /** Audio only: true for a voice note recorded in the app. */
  voice: z.boolean().optional(),
  /** Stickers only. */
  animated: z.boolean().optional(),
});
export type WaMedia = z.infer<typeof waMediaSchema>;

export const waLocationSchema = z.looseObject({
  latitude: z.number(),
  longitude: z.number(),
  name: z.string().optional(),
  address: z.string().optional(),
  url: z.string().optional(),
});

/** A shared contact card; every part of it is optional in practice. */
export const waSharedContactSchema = z.looseObject({
  name: z.looseObject({ formatted_name: z.string().optional() }).optional(),
  phones: z
    .array(
      z.looseObject({
        phone: z.string().optional(),
        wa_id: z.string().optional(),
        type: z.string().optional(),
      }),
    )
    .optional(),
  emails: z.array(z.looseObject({ email: z.string().optional() })).optional(),
});

const waReplySchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
});

export const waInteractiveSchema = z.looseObject({
  /** `button_reply`, `list_reply` (or `nfm_reply` for flows, kept raw). */
  type: z.string(),
  button_reply: waReplySchema.optional(),
  list_reply: waReplySchema.optional(),
});

export const waReactionSchema = z.looseObject({
  /** The message reacted to. */
  message_id: z.string(),
  // Meta omits the emoji (or sends it empty) when the customer takes a reaction back.
  emoji: z.string().optional(),
});

export const waOrderSchema = z.looseObject({
  catalog_id: z.string(),
  text: z.string().optional(),
  product_items: z.array(
    z.looseObject({
      product_retailer_id: z.string(),
      quantity: z.union([z.number(), z.string()]),
      item_price: z.union([z.number(), z.string()]).optional(),
      currency: z.string().optional(),
    }),
  ),
});

/** Meta's notice that the customer changed their number; `wa_id` is the new one. */
export const waSystemSchema = z.looseObject({
  body: z.string().optional(),
  type: z.string().optional(),
  wa_id: z.string().optional(),
  new_wa_id: z.string().optional(),
  identity: z.string().optional(),
  customer: z.string().optional(),
});

/** A message that started from a click-to-WhatsApp ad or post. */
export const waReferralSchema = z.looseObject({
  source_url: z.string().optional(),
  source_id: z.string().optional(),
  source_type: z.string().optional(),
  headline: z.string().optional(),
  body: z.string().optional(),
  media_type: z.string().optional(),
  image_url: z.string().optional(),
  video_url: z.string().optional(),
  thumbnail_url: z.string().optional(),
  ctwa_clid: z.string().optional(),
});

/** What the message replies to, or that it was forwarded. */
export const waContextSchema = z.looseObject({
  from: z.string().optional(),
  id: z.string().optional(),
  forwarded: z.boolean().optional(),
  frequently_forwarded: z.boolean().optional(),
  referred_product: z
    .looseObject({ catalog_id: z.string().optional(), product_retailer_id: z.string().optional() })
    .optional(),
});

export const waInboundMessageSchema = z.looseObject({
  id: z.string().min(1),
  from: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/, 'unix seconds as a string'),
  type: z.string().min(1),
  text: z.looseObject({ body: z.string() }).optional(),
  image: waMediaSchema.optional(),
  audio: waMediaSchema.optional(),
  video: waMediaSchema.optional(),
  document: waMediaSchema.optional(),
  sticker: waMediaSchema.optional(),
  location: waLocationSchema.optional(),
  contacts: z.array(waSharedContactSchema).optional(),
  interactive: waInteractiveSchema.optional(),
  /** A tap on a template's quick-reply button. */
  button: z.looseObject({ text: z.string().optional(), payload: z.string().optional() }).optional(),
  reaction: waReactionSchema.optional(),
  order: waOrderSchema.optional(),
  system: waSystemSchema.optional(),
  referral: waReferralSchema.optional(),
  context: waContextSchema.optional(),
  /** On `unsupported` / `unknown` messages: why Meta could not pass the content on. */
  errors: z.array(waErrorSchema).optional(),
});
export type WaInboundMessage = z.infer<typeof waInboundMessageSchema>;

export const waStatusSchema = z.looseObject({
  /** The `wamid` of the message we sent. */
  id: z.string(),
  status: z.string(),
  timestamp: z.string(),
  recipient_id: z.string().optional(),
  errors: z.array(waErrorSchema).optional(),
});
export type WaStatus = z.infer<typeof waStatusSchema>;

export const waMetadataSchema = z.looseObject({
  display_phone_number: z.string().optional(),
  phone_number_id: z.string().min(1),
});

export const waChangeValueSchema = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: waMetadataSchema.optional(),
  contacts: z.array(waContactSchema).optional(),
  messages: z.array(waInboundMessageSchema).optional(),
  statuses: z.array(waStatusSchema).optional(),
  /** Value-level errors: a problem with the number or app rather than with one message. */
  errors: z.array(waErrorSchema).optional(),
});
export type WaChangeValue = z.infer<typeof waChangeValueSchema>;

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

/**
 * The webhook as the endpoint first checks it: only the envelope. Each value, message and status
 * is checked on its own afterwards, so that one malformed message cannot get a signed batch
 * refused and its good messages lost with it.
 */
export const waWebhookEnvelopeSchema = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      id: z.string(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })),
    }),
  ),
});
export type WaWebhookEnvelope = z.infer<typeof waWebhookEnvelopeSchema>;

/** Our name for a Cloud API message type; anything Meta adds later (and `unknown`) routes as `unsupported`. */
export function inboundMessageType(message: WaInboundMessage): InboundMessageType {
  const parsed = inboundMessageTypeSchema.safeParse(message.type);
  return parsed.success ? parsed.data : 'unsupported';
}

/** The media object of a media message, whichever type it is. */
export function inboundMessageMedia(message: WaInboundMessage): WaMedia | null {
  switch (message.type) {
    case 'image':
      return message.image ?? null;
    case 'audio':
      return message.audio ?? null;
    case 'video':
      return message.video ?? null;
    case 'document':
      return message.document ?? null;
    case 'sticker':
      return message.sticker ?? null;
    default:
      return null;
  }
}

/**
 * The text a person (and a rule) would read in a message: the body, a caption, the title of the
 * button or row tapped, the place's name, the emoji (null when a reaction is taken back), the
 * system notice. Types with nothing readable give null.
 */
export function inboundMessageText(message: WaInboundMessage): string | null {
  switch (inboundMessageType(message)) {
    case 'text':
      return message.text?.body ?? null;
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker':
      return inboundMessageMedia(message)?.caption ?? null;
    case 'location':
      return message.location?.name ?? message.location?.address ?? null;
    case 'contacts':
      return (
        message.contacts
          ?.map((card) => card.name?.formatted_name)
          .filter((name): name is string => Boolean(name))
          .join(', ') || null
      );
    case 'interactive':
      return message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title ?? null;
    case 'button':
      return message.button?.text ?? null;
    case 'reaction':
      return message.reaction?.emoji || null;
    case 'order':
      return message.order?.text ?? null;
    case 'system':
      return message.system?.body ?? null;
    case 'unsupported':
      return null;
  }
}

/**
 * What the customer chose, as the business defined it: the id of a tapped reply button or list row,
 * or a template quick-reply's payload. Routing matches these rather than the titles, which are
 * translated and edited.
 */
export function inboundMessageReplyId(message: WaInboundMessage): string | null {
  return (
    message.interactive?.button_reply?.id ??
    message.interactive?.list_reply?.id ??
    message.button?.payload ??
    null
  );
}

/** The customer changed number: WhatsApp's system notice names the new `wa_id`. */
export function changedCustomerNumber(message: WaInboundMessage): string | null {
  if (message.type !== 'system') return null;
  const kind = message.system?.type;
  if (kind !== 'user_changed_number' && kind !== 'customer_changed_number') return null;
  return message.system?.new_wa_id ?? message.system?.wa_id ?? null;
}
