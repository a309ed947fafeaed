import { z } from 'zod';

/*
 * Bodies of the Cloud API's `POST /{version}/{phone-number-id}/messages`, as Meta documents them,
 * minus `messaging_product`, `recipient_type` and `to`, which the sender adds. Limits are Meta's:
 * a request over them is refused by Meta with error 100, so we refuse it first, naming the field.
 */

const mediaObject = z
  .object({ id: z.string().min(1).optional(), link: z.string().url().optional() })
  .refine((media) => Boolean(media.id) !== Boolean(media.link), 'give exactly one of id or link');

/** A template variable; Meta substitutes them for {{1}}, {{2}}… in order. */
export const templateParameterSchema = z.discriminatedUnion('type', [
  // Not min(1): a variable rendered from an unknown contact field may be empty; Meta's error 100
  // then names it, and the workflow takes its "failed" branch instead of failing outright.
  z.object({ type: z.literal('text'), text: z.string().max(32_768) }),
  z.object({
    type: z.literal('currency'),
    currency: z.object({
      fallback_value: z.string().min(1),
      code: z.string().length(3),
      /** The amount times 1,000: 12.34 is 12340. */
      amount_1000: z.number().int(),
    }),
  }),
  z.object({ type: z.literal('date_time'), date_time: z.object({ fallback_value: z.string().min(1) }) }),
  z.object({ type: z.literal('image'), image: mediaObject }),
  z.object({ type: z.literal('video'), video: mediaObject }),
  z.object({
    type: z.literal('document'),
    document: z.intersection(mediaObject, z.object({ filename: z.string().optional() })),
  }),
  /** Quick-reply buttons: what comes back in the customer's `button.payload`. */
  z.object({ type: z.literal('payload'), payload: z.string().min(1).max(128) }),
  z.object({ type: z.literal('coupon_code'), coupon_code: z.string().min(1).max(20) }),
]);
export type TemplateParameter = z.infer<typeof templateParameterSchema>;

export const templateComponentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), parameters: z.array(templateParameterSchema).min(1) }),
  z.object({ type: z.literal('body'), parameters: z.array(templateParameterSchema) }),
  z.object({
    type: z.literal('button'),
    sub_type: z.enum(['quick_reply', 'url', 'copy_code', 'flow']),
    /** Position of the button in the template, "0" to "9". */
    index: z.union([z.string().regex(/^\d$/), z.number().int().min(0).max(9)]),
    parameters: z.array(templateParameterSchema).min(1),
  }),
]);
export type TemplateComponent = z.infer<typeof templateComponentSchema>;

const interactiveHeader = z.object({ type: z.literal('text'), text: z.string().min(1).max(60) });
const interactiveBody = z.object({ text: z.string().min(1).max(1024) });
const interactiveFooter = z.object({ text: z.string().min(1).max(60) });

export const replyButtonsSchema = z.object({
  type: z.literal('button'),
  header: interactiveHeader.optional(),
  body: interactiveBody,
  footer: interactiveFooter.optional(),
  action: z.object({
    buttons: z
      .array(
        z.object({
          type: z.literal('reply'),
          reply: z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }),
        }),
      )
      .min(1)
      .max(3),
  }),
});

export const listMessageSchema = z.object({
  type: z.literal('list'),
  header: interactiveHeader.optional(),
  body: z.object({ text: z.string().min(1).max(4096) }),
  footer: interactiveFooter.optional(),
  action: z.object({
    /** The label of the button that opens the list. */
    button: z.string().min(1).max(20),
    sections: z
      .array(
        z.object({
          title: z.string().min(1).max(24).optional(),
          rows: z
            .array(
              z.object({
                id: z.string().min(1).max(200),
                title: z.string().min(1).max(24),
                description: z.string().max(72).optional(),
              }),
            )
            .min(1),
        }),
      )
      .min(1)
      .max(10)
      // Meta counts rows across all sections.
      .refine((sections) => sections.reduce((n, s) => n + s.rows.length, 0) <= 10, 'at most 10 rows in all'),
  }),
});

const replyContext = { context: z.object({ message_id: z.string().min(1) }).optional() };

export const outboundMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    ...replyContext,
    text: z.object({
      body: z.string().min(1).max(4096),
      /** Render a preview of the first URL in the body. */
      preview_url: z.boolean().optional(),
    }),
  }),
  z.object({
    type: z.literal('template'),
    template: z.object({
      name: z.string().min(1).max(512),
      language: z.object({ code: z.string().min(2), policy: z.literal('deterministic').optional() }),
      components: z.array(templateComponentSchema).default([]),
    }),
  }),
  z.object({
    type: z.literal('interactive'),
    ...replyContext,
    interactive: z.discriminatedUnion('type', [replyButtonsSchema, listMessageSchema]),
  }),
  z.object({
    type: z.literal('reaction'),
    /** An empty emoji removes our earlier reaction. */
    reaction: z.object({ message_id: z.string().min(1), emoji: z.string() }),
  }),
]);
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;
export type OutboundMessageInput = z.input<typeof outboundMessageSchema>;

/** Meta's error object, e.g. `{ error: { code: 131047, message, error_data: { details } } }`. */
export const cloudApiErrorSchema = z.looseObject({
  message: z.string().optional(),
  type: z.string().optional(),
  code: z.number().int(),
  error_subcode: z.number().int().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
  fbtrace_id: z.string().optional(),
});
export type CloudApiError = z.infer<typeof cloudApiErrorSchema>;

/** What `GET /{version}/{media-id}` answers: a short-lived URL that needs the same bearer token. */
export const mediaInfoSchema = z.looseObject({
  url: z.string().url(),
  mime_type: z.string().min(1),
  sha256: z.string().optional(),
  file_size: z.union([z.number(), z.string()]).optional(),
  id: z.string().optional(),
});
export type MediaInfo = z.infer<typeof mediaInfoSchema>;

/** An agent's reply from the inbox: free text (inside the window) or an approved template. */
export const agentReplySchema = z
  .object({
    agentId: z.string().min(1).optional(),
    text: z.string().trim().min(1, 'write the message').max(4096).optional(),
    /** Let WhatsApp render a preview of the first link in the text. */
    previewUrl: z.boolean().optional(),
    /** The customer's message this one answers (`context.message_id`). */
    replyTo: z.string().min(1).optional(),
    template: z
      .object({
        name: z.string().min(1),
        language: z.string().min(2),
        /** Values for {{1}}, {{2}}… of the template's body, in order. */
        variables: z.array(z.string().min(1)).default([]),
      })
      .optional(),
  })
  .strict()
  .superRefine((reply, context) => {
    if ((reply.text === undefined) === (reply.template === undefined)) {
      context.addIssue({ code: 'custom', path: ['text'], message: 'give either text or template, not both' });
    }
  });
export type AgentReply = z.infer<typeof agentReplySchema>;

export const templateCategorySchema = z.enum(['marketing', 'utility', 'authentication']);

export const messageTemplateSchema = z.object({
  name: z.string().min(1),
  language: z.string().min(2),
  category: templateCategorySchema,
  /** Meta's body text with {{1}}, {{2}}… variables. */
  body: z.string().min(1).max(1024),
});
export type MessageTemplate = z.infer<typeof messageTemplateSchema>;
