import { z } from 'zod';
import { defineNodeType } from '../../nodeType';

export const newConversationConfigSchema = z.object({});

export const newConversationTrigger = defineNodeType({
  type: 'trigger.newConversation',
  typeVersion: 1,
  category: 'trigger',
  label: 'New conversation',
  description: 'Starts when a customer opens a conversation (first message, or first after closing).',
  icon: '💬',
  color: '#2563eb',
  configSchema: newConversationConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: () => 'first message of a conversation',
  matches: (_config, event) => event.type === 'message.received' && event.isNewConversation,
});
