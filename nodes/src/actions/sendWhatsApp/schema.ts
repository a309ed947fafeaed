import { z } from 'zod';

const replyButton = z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) });
const listRow = z.object({
  id: z.string().min(1).max(200),
  title: z.string().min(1).max(24),
  description: z.string().max(72).optional(),
});

/** Cloud API limits: body 4,096 chars; up to 3 reply buttons of 20 chars; lists of 10 rows of 24. */
export const sendWhatsAppConfigSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    text: z.string().trim().min(1, 'write the message').max(4096),
    /** Let WhatsApp show a preview of the first link. */
    previewUrl: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('template'),
    templateName: z.string().min(1, 'choose a template'),
    languageCode: z.string().min(2).default('en_US'),
    /** Body variables {{1}}, {{2}}… in order; each may use placeholders like {{contact.name}}. */
    bodyVariables: z.array(z.string()).default([]),
    /** A text header's variable, when the template has one. */
    headerVariables: z.array(z.string()).default([]),
    /** Payloads of the template's quick-reply buttons, by position; they come back in the reply. */
    buttonPayloads: z.array(z.string().min(1).max(128)).max(10).default([]),
  }),
  z.object({
    kind: z.literal('buttons'),
    text: z.string().trim().min(1).max(1024),
    buttons: z.array(replyButton).min(1).max(3),
  }),
  z.object({
    kind: z.literal('list'),
    text: z.string().trim().min(1).max(4096),
    /** The label of the button that opens the list. */
    buttonLabel: z.string().trim().min(1).max(20),
    sections: z
      .array(z.object({ title: z.string().min(1).max(24).optional(), rows: z.array(listRow).min(1) }))
      .min(1)
      .max(10)
      .refine((sections) => sections.reduce((n, s) => n + s.rows.length, 0) <= 10, 'at most 10 rows in all'),
  }),
]);
export type SendWhatsAppConfig = z.infer<typeof sendWhatsAppConfigSchema>;
