import { defineNodeType } from '../../nodeType';
import { type SlaTimerConfig, slaTimerConfigSchema } from './schema';

/**
 * Calendar-time SLA inside one execution. Memory: `deadline` (epoch ms) and `warned`. Business-hours
 * SLA policies (paused while waiting on the customer) belong to the SLA engine, not to this node.
 */
export const slaTimerFlow = defineNodeType<SlaTimerConfig>({
  type: 'flow.slaTimer',
  typeVersion: 1,
  category: 'flow',
  label: 'SLA timer',
  description:
    'Waits for the first reply (or the close) against a target; warns the assignee before the breach.',
  icon: '⏱️',
  color: '#ea580c',
  configSchema: slaTimerConfigSchema,
  waits: true,
  outputs: () => [
    { id: 'met', label: 'met' },
    { id: 'breached', label: 'breached', required: true },
  ],
  summary: (config) =>
    `${config.measure.replace('_', ' ')} ≤ ${config.targetMinutes} min${config.warnAtPercent ? ` · warn at ${config.warnAtPercent}%` : ''}`,
  run: ({ config, now }) => {
    const deadline = now + config.targetMinutes * 60_000;
    if (config.warnAtPercent === 0)
      return { kind: 'wait', until: deadline, memory: { deadline, warned: true } };
    const warnAt = now + Math.round((config.targetMinutes * 60_000 * config.warnAtPercent) / 100);
    return { kind: 'wait', until: warnAt, memory: { deadline, warned: false } };
  },
  onEvent: ({ config }, event) => {
    if (config.measure === 'first_response' && event.type === 'agent.replied')
      return { kind: 'continue', output: 'met' };
    // The runtime's SLA policy for the same target breached first (business hours, say): follow it.
    // No history holds an `sla.alert` from before this rule, so version 1 replays unchanged.
    if (event.type === 'sla.alert' && event.level === 'breach' && event.measure === config.measure)
      return { kind: 'continue', output: 'breached' };
    return null;
  },
  onTimer: ({ config, memory, execution }) => {
    const deadline = Number(memory.deadline);
    if (memory.warned) return { kind: 'continue', output: 'breached' };
    const assignee = execution.assigneeId;
    return {
      kind: 'wait',
      until: deadline,
      memory: { deadline, warned: true },
      effects: assignee
        ? [
            {
              type: 'notify',
              channels: ['in_app'],
              to: { kind: 'agents', agentIds: [assignee] },
              title: `SLA at ${config.warnAtPercent}%`,
              body: `Conversation ${execution.trigger.conversationId} breaches its ${config.measure.replace('_', ' ')} target soon.`,
            },
          ]
        : [],
    };
  },
});
