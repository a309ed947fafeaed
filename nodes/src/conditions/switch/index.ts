import { defineNodeType } from '../../nodeType';
import { describeField } from '../if/describeRules';
import { compare, readField } from '../if/evaluateRules';
import { type SwitchConfig, switchConfigSchema } from './schema';

export const switchCondition = defineNodeType<SwitchConfig>({
  type: 'condition.switch',
  typeVersion: 1,
  category: 'condition',
  label: 'Switch',
  description: 'Sends the conversation down the first case that matches one field, or “else”.',
  icon: '🚦',
  color: '#d97706',
  configSchema: switchConfigSchema,
  outputs: (config) => [
    ...config.cases.map((switchCase) => ({ id: switchCase.id, label: switchCase.label })),
    { id: 'else', label: 'else' },
  ],
  summary: (config) =>
    `${describeField(config.field, config.fieldKey)}: ${config.cases.map((c) => c.label).join(' / ')}`,
  run: ({ config, event, now }) => {
    const actual = readField(config.field, config.fieldKey, { event, now });
    const chosen = config.cases.find((switchCase) => compare(actual, switchCase));
    return { kind: 'continue', output: chosen?.id ?? 'else' };
  },
});
