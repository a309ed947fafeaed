import { z } from 'zod';
import { defineNodeType } from '../../nodeType';
import { mentionedAgentIds, renderTemplate } from '../../templating/renderTemplate';

export const noteConfigSchema = z.object({
  /** Placeholders like {{contact.name}}; `@agent_id` mentions notify that agent. */
  text: z.string().trim().min(1, 'write the note').max(4000),
  mentions: z.array(z.string()).default([]),
});

export const noteAction = defineNodeType<z.infer<typeof noteConfigSchema>>({
  type: 'action.note',
  typeVersion: 1,
  category: 'action',
  label: 'Internal note',
  description: 'Adds an internal note to the conversation; mentioned agents are notified.',
  icon: '📝',
  color: '#0891b2',
  configSchema: noteConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: (config) => (config.text.length > 40 ? `${config.text.slice(0, 39)}…` : config.text),
  run: ({ config, event, now }) => {
    const text = renderTemplate(config.text, event, now);
    const mentions = [...new Set([...config.mentions, ...mentionedAgentIds(text)])];
    return { kind: 'continue', output: 'out', effects: [{ type: 'note', text, mentions }] };
  },
});
