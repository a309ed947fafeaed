import { defineNodeType } from '../../nodeType';
import { messageKinds } from './messageKinds';
import { type MessageTypeConfig, messageTypeConfigSchema } from './schema';

export const messageTypeTrigger = defineNodeType<MessageTypeConfig>({
  type: 'trigger.messageType',
  typeVersion: 1,
  category: 'trigger',
  label: 'Message type',
  description: 'Starts when a customer sends a kind of message: media, a location, an order, a button reply…',
  icon: '🖼️',
  color: '#2563eb',
  configSchema: messageTypeConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: (config) => config.types.map((kind) => kind.replace('_', ' ')).join(' or '),
  matches: (config, event) =>
    event.type === 'message.received' &&
    messageKinds(event.messageType).some((kind) => config.types.includes(kind)),
});
