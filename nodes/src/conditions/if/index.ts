import { defineNodeType } from '../../nodeType';
import { describeGroup } from './describeRules';
import { evaluateGroup } from './evaluateRules';
import { type IfConfig, ifConfigSchema } from './schema';

export const ifCondition = defineNodeType<IfConfig>({
  type: 'condition.if',
  typeVersion: 1,
  category: 'condition',
  label: 'If',
  description:
    'Sends the conversation one way or the other by rules on the message, the contact and the conversation.',
  icon: '🔀',
  color: '#d97706',
  configSchema: ifConfigSchema,
  outputs: () => [
    { id: 'true', label: 'true' },
    { id: 'false', label: 'false' },
  ],
  summary: (config) => describeGroup(config.group),
  run: ({ config, event, now }) => ({
    kind: 'continue',
    output: evaluateGroup(config.group, { event, now }) ? 'true' : 'false',
  }),
});
