import { defineNodeType } from '../../nodeType';
import { type DeliveryFailedConfig, deliveryFailedConfigSchema } from './schema';

export const deliveryFailedTrigger = defineNodeType<DeliveryFailedConfig>({
  type: 'trigger.deliveryFailed',
  typeVersion: 1,
  category: 'trigger',
  label: 'Delivery failed',
  description: 'Starts when WhatsApp reports that a message we sent could not be delivered.',
  icon: '⚠️',
  color: '#2563eb',
  configSchema: deliveryFailedConfigSchema,
  outputs: () => [{ id: 'out', label: 'next' }],
  summary: ({ errorCodes }) =>
    errorCodes.length === 0 ? 'any failed delivery' : `error ${errorCodes.join(' or ')}`,
  matches: ({ errorCodes }, event) =>
    event.type === 'message.deliveryFailed' &&
    (errorCodes.length === 0 || (event.errorCode !== null && errorCodes.includes(event.errorCode))),
});
