import { z } from 'zod';

/*
 * What the customer driver (CLI and the app's simulator panel) may send as a customer: one entry
 * per inbound message type, in our words. The runtime turns it into the exact webhook Meta would
 * post, signs it, and feeds it to its own webhook endpoint.
 */

const waIdSchema = z.string().regex(/^\d{6,20}$/, 'digits only, with country code, e.g. 5511987654321');

const mediaFields = {
  /** Meta's media id; made up when omitted. */
  mediaId: z.string().min(1).max(200).optional(),
  mimeType: z.string().min(1).max(100).optional(),
  caption: z.string().max(1024).optional(),
};

export const customerMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), body: z.string().min(1).max(4096) }),
  z.object({ kind: z.literal('image'), ...mediaFields }),
  z.object({ kind: z.literal('video'), ...mediaFields }),
  z.object({ kind: z.literal('audio'), ...mediaFields, voice: z.boolean().optional() }),
  z.object({ kind: z.literal('document'), ...mediaFields, filename: z.string().min(1).max(240).optional() }),
  z.object({ kind: z.literal('sticker'), ...mediaFields, animated: z.boolean().optional() }),
  z.object({
    kind: z.literal('location'),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: z.string().max(200).optional(),
    address: z.string().max(400).optional(),
  }),
  z.object({
    kind: z.literal('contacts'),
    name: z.string().min(1).max(200),
    phone: z.string().min(3).max(40),
  }),
  z.object({
    kind: z.literal('button_reply'),
    id: z.string().min(1).max(256),
    title: z.string().min(1).max(20),
  }),
  z.object({
    kind: z.literal('list_reply'),
    id: z.string().min(1).max(200),
    title: z.string().min(1).max(24),
    description: z.string().max(72).optional(),
  }),
  /** A tap on a template's quick-reply button. */
  z.object({
    kind: z.literal('button'),
    text: z.string().min(1).max(25),
    payload: z.string().max(1000).optional(),
  }),
  /** Without an emoji: the customer takes their reaction back. */
  z.object({
    kind: z.literal('reaction'),
    messageId: z.string().min(1),
    emoji: z.string().max(16).optional(),
  }),
  z.object({
    kind: z.literal('order'),
    catalogId: z.string().min(1),
    text: z.string().max(1000).optional(),
    items: z
      .array(
        z.object({
          productRetailerId: z.string().min(1),
          quantity: z.number().int().positive(),
          itemPrice: z.number().nonnegative(),
          currency: z.string().length(3),
        }),
      )
      .min(1),
  }),
  /** The customer changed their number to `newWaId`. */
  z.object({ kind: z.literal('system'), newWaId: waIdSchema }),
  /** A message type the Cloud API does not pass on (e.g. a poll); arrives as `unsupported` with errors. */
  z.object({ kind: z.literal('unsupported') }),
]);
export type CustomerMessage = z.infer<typeof customerMessageSchema>;
export type CustomerMessageKind = CustomerMessage['kind'];
export const customerMessageKinds = customerMessageSchema.options.map(
  (option) => option.shape.kind.value,
) as CustomerMessageKind[];

export const customerPostSchema = z.object({
  from: waIdSchema,
  /** Omitted: the customer has no profile (hid their name). */
  profileName: z.string().min(1).max(200).optional(),
  /** The business number written to; the first known one when omitted. */
  phoneNumberId: z.string().regex(/^\d+$/).optional(),
  message: customerMessageSchema,
  /** `wamid` of the message this one replies to. */
  replyTo: z.string().min(1).optional(),
  forwarded: z.boolean().optional(),
  /** As if the customer came from a click-to-WhatsApp ad. */
  referral: z
    .object({
      sourceUrl: z.string().url(),
      sourceId: z.string().min(1),
      sourceType: z.enum(['ad', 'post']).default('ad'),
      headline: z.string().max(200).optional(),
      body: z.string().max(1000).optional(),
    })
    .optional(),
});
export type CustomerPost = z.infer<typeof customerPostSchema>;
