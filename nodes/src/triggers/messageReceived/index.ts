import { z } from 'zod';
import { defineNodeType } from '../../nodeType';

export const messageReceivedConfigSchema = z.object({});

export const messageReceivedTrigger = defineNodeType({
  type: 'trigger.messageReceived',
  typeVersion: 1,
  category: 'trigger',
  label: 'Message received',
  description: 'Starts on every inbound WhatsApp message that no running execution is waiting for.',
  icon: '📨',
  color: '#2563eb',
  configSchema: messageReceivedConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: () => 'any inbound message',
  matches: (_config, event) => event.type === 'message.received',
});
