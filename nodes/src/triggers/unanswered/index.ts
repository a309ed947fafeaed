import { z } from 'zod';
import { defineNodeType } from '../../nodeType';

export const unansweredConfigSchema = z.object({
  /** unanswered: no agent reply yet; unassigned: nobody has acknowledged (taken) the conversation. */
  condition: z.enum(['unanswered', 'unassigned']).default('unanswered'),
  minutes: z
    .number()
    .positive()
    .max(60 * 24 * 7)
    .default(10),
});
export type UnansweredConfig = z.infer<typeof unansweredConfigSchema>;

export const unansweredTrigger = defineNodeType<UnansweredConfig>({
  type: 'trigger.unanswered',
  typeVersion: 1,
  category: 'trigger',
  label: 'Unanswered for N minutes',
  description:
    'Starts when a customer message stays unanswered (or the conversation unassigned) for the given minutes.',
  icon: '⏰',
  color: '#2563eb',
  configSchema: unansweredConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: (config) => `${config.condition} for ${config.minutes} min`,
  matches: (config, event) =>
    event.type === 'message.received' &&
    (config.condition === 'unanswered' || event.facts.assigneeAgentId === null),
  delayMs: (config) => config.minutes * 60_000,
  cancels: (config, event) =>
    event.type === 'agent.replied' ||
    (config.condition === 'unassigned' && event.type === 'conversation.acknowledged'),
});
