import { defineNodeType } from '../../nodeType';
import { type ManualConfig, manualConfigSchema } from './schema';

export const manualTrigger = defineNodeType<ManualConfig>({
  type: 'trigger.manual',
  typeVersion: 1,
  category: 'trigger',
  label: 'Manual run',
  description: 'Starts when someone runs the workflow on a conversation by hand, or from a test run.',
  icon: '▶️',
  color: '#2563eb',
  configSchema: manualConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: () => 'run by hand',
  matches: (_config, event) => event.type === 'manual.run',
});
