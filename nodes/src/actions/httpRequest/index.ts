import { z } from 'zod';
import { defineNodeType } from '../../nodeType';
import { renderTemplate } from '../../templating/renderTemplate';

export const httpRequestConfigSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  url: z.string().url('enter a full URL, e.g. https://crm.example.com/hooks/whatsapp'),
  headers: z.record(z.string(), z.string()).default({}),
  /** Placeholders allowed, e.g. {"phone":"{{contact.waId}}"}. */
  body: z.string().max(20_000).nullable().default(null),
  timeoutMs: z.number().int().min(100).max(30_000).default(5000),
  retries: z.number().int().min(0).max(10).default(2),
});

export const httpRequestAction = defineNodeType<z.infer<typeof httpRequestConfigSchema>>({
  type: 'action.httpRequest',
  typeVersion: 1,
  category: 'action',
  label: 'HTTP request',
  description: 'Calls a CRM or any webhook, with a timeout and retries; 2xx leaves through "success".',
  icon: '🌐',
  color: '#0891b2',
  configSchema: httpRequestConfigSchema,
  outputs: () => [
    { id: 'success', label: '2xx' },
    { id: 'failure', label: 'error or timeout' },
  ],
  summary: (config) => `${config.method} ${config.url}`,
  run: ({ config, event, now }) => ({
    kind: 'await',
    effect: {
      type: 'httpRequest',
      method: config.method,
      url: renderTemplate(config.url, event, now),
      headers: config.headers,
      body: config.body === null ? null : renderTemplate(config.body, event, now),
      timeoutMs: config.timeoutMs,
      retries: config.retries,
    },
  }),
  resume: (_context, result) => ({
    kind: 'continue',
    output: result.type === 'httpRequest' && result.ok ? 'success' : 'failure',
  }),
});
