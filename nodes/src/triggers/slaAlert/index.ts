import { defineNodeType } from '../../nodeType';
import { type SlaAlertConfig, slaAlertConfigSchema } from './schema';

export const slaAlertTrigger = defineNodeType<SlaAlertConfig>({
  type: 'trigger.slaAlert',
  typeVersion: 1,
  category: 'trigger',
  label: 'SLA warning / breach',
  description:
    'Starts when an SLA policy clock reaches its warning share or its target (first response, next response or resolution).',
  icon: '🚨',
  color: '#dc2626',
  configSchema: slaAlertConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: ({ level, measure }) =>
    `${level === 'any' ? 'warning or breach' : level} · ${measure === 'any' ? 'any target' : measure.replace('_', ' ')}`,
  matches: ({ level, measure }, event) =>
    event.type === 'sla.alert' &&
    (level === 'any' || level === event.level) &&
    (measure === 'any' || measure === event.measure),
});
