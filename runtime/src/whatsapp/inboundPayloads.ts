import type { WaWebhook } from '@switchboard/shared';

export interface InboundTextOptions {
  phoneNumberId: string;
  from: string;
  text: string;
  messageId: string;
  /** Unix seconds, as Meta sends it. */
  timestamp: number;
  profileName?: string;
}

/** A `messages` webhook carrying one inbound text, in the exact shape the Cloud API posts. */
export function inboundTextWebhook(options: InboundTextOptions): WaWebhook {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA_DEMO',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: options.phoneNumberId },
              contacts: [
                options.profileName === undefined
                  ? { wa_id: options.from }
                  : { wa_id: options.from, profile: { name: options.profileName } },
              ],
              messages: [
                {
                  from: options.from,
                  id: options.messageId,
                  timestamp: String(options.timestamp),
                  type: 'text',
                  text: { body: options.text },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}
