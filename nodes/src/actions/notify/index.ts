import { notifyRecipientSchema } from '@switchboard/shared';
import { z } from 'zod';
import { defineNodeType } from '../../nodeType';
import { renderTemplate } from '../../templating/renderTemplate';

export const notifyConfigSchema = z
  .object({
    channels: z
      .array(z.enum(['in_app', 'email', 'slack']))
      .min(1, 'choose at least one channel')
      .default(['in_app']),
    to: notifyRecipientSchema.default({ kind: 'assignee' }),
    title: z.string().trim().min(1, 'write a title').max(200),
    body: z.string().max(4000).default(''),
    slackWebhookUrl: z.string().url().nullable().default(null),
  })
  .refine((config) => !config.channels.includes('slack') || config.slackWebhookUrl, {
    message: 'the Slack channel needs an incoming webhook URL',
    path: ['slackWebhookUrl'],
  });

export const notifyAction = defineNodeType<z.infer<typeof notifyConfigSchema>>({
  type: 'action.notify',
  typeVersion: 1,
  category: 'action',
  label: 'Notify',
  description:
    'Notifies the assignee, a team, its lead, a role or named people: in the app, by e-mail or on Slack.',
  icon: '🔔',
  color: '#0891b2',
  configSchema: notifyConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: (config) => `${config.channels.join(' + ')} → ${config.to.kind}`,
  run: ({ config, event, now }) => ({
    kind: 'continue',
    output: 'out',
    effects: [
      {
        type: 'notify',
        channels: config.channels,
        to: config.to,
        title: renderTemplate(config.title, event, now),
        body: renderTemplate(config.body, event, now),
        slackWebhookUrl: config.slackWebhookUrl,
      },
    ],
  }),
});
