import { z } from 'zod';
import { defineNodeType } from '../../nodeType';

export const endConfigSchema = z.object({});

export const endFlow = defineNodeType({
  type: 'flow.end',
  typeVersion: 1,
  category: 'flow',
  label: 'End',
  description: 'Ends the execution here; the next matching event starts a new one.',
  icon: '⏹️',
  color: '#475569',
  configSchema: endConfigSchema,
  outputs: () => [],
  summary: () => 'end of workflow',
  run: () => ({ kind: 'end' }),
});
