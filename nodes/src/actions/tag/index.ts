import { z } from 'zod';
import { defineNodeType } from '../../nodeType';

export const tagConfigSchema = z.object({
  tag: z.string().trim().min(1, 'name the tag').max(64),
  change: z.enum(['add', 'remove']).default('add'),
});

export const tagAction = defineNodeType<z.infer<typeof tagConfigSchema>>({
  type: 'action.tag',
  typeVersion: 1,
  category: 'action',
  label: 'Add / remove tag',
  description: 'Adds a tag to the conversation or removes one.',
  icon: '🏷️',
  color: '#0891b2',
  configSchema: tagConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: (config) => `${config.change === 'add' ? '+' : '−'} ${config.tag}`,
  run: ({ config }) => ({
    kind: 'continue',
    output: 'out',
    effects: [{ type: 'tag', tag: config.tag, change: config.change }],
  }),
});
