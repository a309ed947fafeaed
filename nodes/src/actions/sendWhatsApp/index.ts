import type {
  EffectRequest,
  OutboundMessageInput,
  RoutedEvent,
  TemplateComponent,
} from '@switchboard/shared';
import { defineNodeType } from '../../nodeType';
import { renderTemplate } from '../../templating/renderTemplate';
import { type SendWhatsAppConfig, sendWhatsAppConfigSchema } from './schema';

function cloudApiMessage(config: SendWhatsAppConfig, event: RoutedEvent, now: number): OutboundMessageInput {
  const render = (text: string) => renderTemplate(text, event, now);
  const textParameters = (values: string[]) =>
    values.map((text) => ({ type: 'text' as const, text: render(text) }));
  switch (config.kind) {
    case 'text':
      return {
        type: 'text',
        text: {
          body: render(config.text),
          ...(config.previewUrl === undefined ? {} : { preview_url: config.previewUrl }),
        },
      };
    case 'template': {
      const components: TemplateComponent[] = [];
      if (config.headerVariables.length) {
        components.push({ type: 'header', parameters: textParameters(config.headerVariables) });
      }
      if (config.bodyVariables.length) {
        components.push({ type: 'body', parameters: textParameters(config.bodyVariables) });
      }
      config.buttonPayloads.forEach((payload, index) => {
        components.push({
          type: 'button',
          sub_type: 'quick_reply',
          index: String(index),
          parameters: [{ type: 'payload', payload }],
        });
      });
      return {
        type: 'template',
        template: { name: config.templateName, language: { code: config.languageCode }, components },
      };
    }
    case 'buttons':
      return {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: render(config.text) },
          action: { buttons: config.buttons.map((reply) => ({ type: 'reply' as const, reply })) },
        },
      };
    case 'list':
      return {
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: render(config.text) },
          action: { button: config.buttonLabel, sections: config.sections },
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
    'Sends text, a template, reply buttons or a list to the customer. Free-form messages only go out inside the 24-hour window.',
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
