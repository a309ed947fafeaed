import { z } from 'zod';
import { defineNodeType } from '../../nodeType';

export const setStatusConfigSchema = z.object({ status: z.enum(['closed', 'open']).default('closed') });

export const setStatusAction = defineNodeType<z.infer<typeof setStatusConfigSchema>>({
  type: 'action.setStatus',
  typeVersion: 1,
  category: 'action',
  label: 'Close / reopen',
  description: 'Closes the conversation (the next customer message opens a new one) or reopens it.',
  icon: '✅',
  color: '#0891b2',
  configSchema: setStatusConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: (config) => (config.status === 'closed' ? 'close conversation' : 'reopen conversation'),
  run: ({ config }) => ({
    kind: 'continue',
    output: 'out',
    effects: [{ type: 'setStatus', status: config.status }],
  }),
});
