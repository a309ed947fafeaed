import { z } from 'zod';

const replyButton = z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) });

/** Cloud API limits: body 4,096 chars; up to 3 reply buttons of 20 chars; list rows of 24. */
export const sendWhatsAppConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().trim().min(1, 'write the message').max(4096) }),
  z.object({
    kind: z.literal('template'),
    templateName: z.string().min(1, 'choose a template'),
    languageCode: z.string().min(2).default('en_US'),
    /** Body variables {{1}}, {{2}}… in order; each may use placeholders like {{contact.name}}. */
    bodyVariables: z.array(z.string()).default([]),
  }),
  z.object({
    kind: z.literal('buttons'),
    text: z.string().trim().min(1).max(1024),
    buttons: z.array(replyButton).min(1).max(3),
  }),
]);
export type SendWhatsAppConfig = z.infer<typeof sendWhatsAppConfigSchema>;
