import { prioritySchema } from '@switchboard/shared';
import { z } from 'zod';
import { defineNodeType } from '../../nodeType';

export const setPriorityConfigSchema = z.object({ priority: prioritySchema.default('high') });

export const setPriorityAction = defineNodeType<z.infer<typeof setPriorityConfigSchema>>({
  type: 'action.setPriority',
  typeVersion: 1,
  category: 'action',
  label: 'Set priority',
  description: 'Sets the conversation priority (low, normal, high, urgent).',
  icon: '🚩',
  color: '#0891b2',
  configSchema: setPriorityConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: (config) => config.priority,
  run: ({ config }) => ({
    kind: 'continue',
    output: 'out',
    effects: [{ type: 'setPriority', priority: config.priority }],
  }),
});
