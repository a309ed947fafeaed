import type { RoutedEvent } from '@switchboard/shared';
import { defineNodeType, type NodeOutput } from '../../nodeType';
import { type WaitForAcknowledgementConfig, waitForAcknowledgementConfigSchema } from './schema';

/** Which routed events end a wait for `waitFor`, and the output each leaves through. */
export function answeredBy(config: { waitFor: WaitForAcknowledgementConfig['waitFor'] }, event: RoutedEvent) {
  if (event.type === 'conversation.acknowledged' && config.waitFor !== 'reply') return 'acknowledged';
  if (event.type === 'agent.replied' && config.waitFor !== 'acknowledgement') return 'replied';
  return null;
}

export const waitForAcknowledgementFlow = defineNodeType<WaitForAcknowledgementConfig>({
  type: 'flow.waitForAcknowledgement',
  typeVersion: 1,
  category: 'flow',
  label: 'Wait for acknowledgement',
  description:
    'Waits until the assignee acknowledges or replies; after the timeout, leaves through "timeout".',
  icon: '✋',
  color: '#7c3aed',
  configSchema: waitForAcknowledgementConfigSchema,
  waits: true,
  outputs: (config) => {
    const outputs: NodeOutput[] = [];
    if (config.waitFor !== 'reply') outputs.push({ id: 'acknowledged', label: 'acknowledged' });
    if (config.waitFor !== 'acknowledgement') outputs.push({ id: 'replied', label: 'replied' });
    outputs.push({ id: 'timeout', label: `no answer in ${config.timeoutMinutes} min`, required: true });
    return outputs;
  },
  summary: (config) => `${config.waitFor} · timeout ${config.timeoutMinutes} min`,
  run: ({ config, now }) => ({ kind: 'wait', until: now + config.timeoutMinutes * 60_000 }),
  onEvent: ({ config }, event) => {
    const output = answeredBy(config, event);
    return output ? { kind: 'continue', output } : null;
  },
  onTimer: () => ({ kind: 'continue', output: 'timeout' }),
});
