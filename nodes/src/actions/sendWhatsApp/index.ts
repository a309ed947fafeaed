import type { EffectRequest, OutboundMessageInput, RoutedEvent } from '@switchboard/shared';
import { defineNodeType } from '../../nodeType';
import { renderTemplate } from '../../templating/renderTemplate';
import { type SendWhatsAppConfig, sendWhatsAppConfigSchema } from './schema';

function cloudApiMessage(config: SendWhatsAppConfig, event: RoutedEvent, now: number): OutboundMessageInput {
  const render = (text: string) => renderTemplate(text, event, now);
  switch (config.kind) {
    case 'text':
      return { type: 'text', text: { body: render(config.text) } };
    case 'template':
      return {
        type: 'template',
        template: {
          name: config.templateName,
          language: { code: config.languageCode },
          components: config.bodyVariables.length
            ? [
                {
                  type: 'body',
                  parameters: config.bodyVariables.map((text) => ({
                    type: 'text' as const,
                    text: render(text),
                  })),
                },
              ]
            : [],
        },
      };
    case 'buttons':
      return {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: render(config.text) },
          action: { buttons: config.buttons.map((reply) => ({ type: 'reply' as const, reply })) },
        },
      };
  }
}

export const sendWhatsAppAction = defineNodeType<SendWhatsAppConfig>({
  type: 'action.sendWhatsApp',
  typeVersion: 1,
  category: 'action',
  label: 'Send WhatsApp message',
  description:
    'Sends text, a template or reply buttons to the customer. Free-form messages only go out inside the 24-hour window.',
  icon: '📤',
  color: '#15803d',
  configSchema: sendWhatsAppConfigSchema,
  sendsToCustomer: true,
  outputs: () => [
    { id: 'sent', label: 'sent' },
    { id: 'failed', label: 'refused or failed' },
  ],
  summary: (config) =>
    config.kind === 'template'
      ? `template ${config.templateName}`
      : `${config.kind}: ${config.text.slice(0, 30)}`,
  run: ({ config, event, now }) => {
    const effect: EffectRequest = {
      type: 'sendWhatsApp',
      message: cloudApiMessage(config, event, now),
      // Templates are the only messages Meta delivers outside the customer-service window.
      requiresOpenWindow: config.kind !== 'template',
    };
    return { kind: 'await', effect };
  },
  resume: (_context, result) => ({
    kind: 'continue',
    output: result.type === 'sendWhatsApp' && result.waMessageId ? 'sent' : 'failed',
  }),
});
