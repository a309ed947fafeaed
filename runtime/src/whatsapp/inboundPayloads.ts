import { createHash, randomBytes } from 'node:crypto';
import type {
  CustomerMessage,
  CustomerPost,
  WaChangeValue,
  WaInboundMessage,
  WaWebhook,
} from '@switchboard/shared';

/*
 * Builders of inbound webhooks in the exact shape the Cloud API posts them. The tests, the customer
 * CLI, the simulator panel and the benchmarks all build their payloads here.
 */

export const DISPLAY_PHONE_NUMBER = '15550001111';

/** A `wamid.…` id that looks like Meta's (base64 of random bytes). */
export function newWaMessageId(): string {
  return `wamid.${randomBytes(24).toString('base64url')}`;
}

/** A webhook delivering `values` (one change each) for the `messages` field. */
export function messagesWebhook(values: WaChangeValue[], wabaId = 'WABA_DEMO'): WaWebhook {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, changes: values.map((value) => ({ field: 'messages', value })) }],
  };
}

/** One change value: what Meta sends for messages of one or more customers to one business number. */
export function inboundValue(
  phoneNumberId: string,
  messages: WaInboundMessage[],
  profiles: Record<string, string | undefined> = {},
): WaChangeValue {
  const senders = [...new Set(messages.map((message) => message.from))];
  return {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: DISPLAY_PHONE_NUMBER, phone_number_id: phoneNumberId },
    contacts: senders.map((waId) => {
      const name = profiles[waId];
      return name === undefined ? { wa_id: waId } : { wa_id: waId, profile: { name } };
    }),
    messages,
  };
}

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
  const message: WaInboundMessage = {
    from: options.from,
    id: options.messageId,
    timestamp: String(options.timestamp),
    type: 'text',
    text: { body: options.text },
  };
  return messagesWebhook([
    inboundValue(options.phoneNumberId, [message], { [options.from]: options.profileName }),
  ]);
}

const DEFAULT_MIME_TYPES = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/pdf',
  sticker: 'image/webp',
} as const;

function mediaObject(
  kind: keyof typeof DEFAULT_MIME_TYPES,
  message: { mediaId?: string | undefined; mimeType?: string | undefined; caption?: string | undefined },
) {
  const id = message.mediaId ?? String(1_000_000_000_000 + Math.floor(Math.random() * 9e14));
  return {
    id,
    mime_type: message.mimeType ?? DEFAULT_MIME_TYPES[kind],
    // Meta's sha256 is of the file; the driver has no file, so it hashes the id to keep it stable.
    sha256: createHash('sha256').update(id).digest('base64'),
    ...(message.caption === undefined ? {} : { caption: message.caption }),
  };
}

/** The type-specific part of a Cloud API message for what the customer "did". */
function messageContent(
  message: CustomerMessage,
  from: string,
): Partial<WaInboundMessage> & { type: string } {
  switch (message.kind) {
    case 'text':
      return { type: 'text', text: { body: message.body } };
    case 'image':
    case 'video':
      return { type: message.kind, [message.kind]: mediaObject(message.kind, message) };
    case 'audio':
      return { type: 'audio', audio: { ...mediaObject('audio', message), voice: message.voice ?? true } };
    case 'document':
      return {
        type: 'document',
        document: {
          ...mediaObject('document', message),
          filename: message.filename ?? 'document.pdf',
        },
      };
    case 'sticker':
      return {
        type: 'sticker',
        sticker: { ...mediaObject('sticker', message), animated: message.animated ?? false },
      };
    case 'location':
      return {
        type: 'location',
        location: {
          latitude: message.latitude,
          longitude: message.longitude,
          ...(message.name === undefined ? {} : { name: message.name }),
          ...(message.address === undefined ? {} : { address: message.address }),
        },
      };
    case 'contacts':
      return {
        type: 'contacts',
        contacts: [
          {
            name: { formatted_name: message.name, first_name: message.name.split(' ')[0] },
            phones: [{ phone: message.phone, wa_id: message.phone.replace(/\D/g, ''), type: 'CELL' }],
          },
        ],
      };
    case 'button_reply':
      return {
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: message.id, title: message.title } },
      };
    case 'list_reply':
      return {
        type: 'interactive',
        interactive: {
          type: 'list_reply',
          list_reply: {
            id: message.id,
            title: message.title,
            ...(message.description === undefined ? {} : { description: message.description }),
          },
        },
      };
    case 'button':
      return { type: 'button', button: { text: message.text, payload: message.payload ?? message.text } };
    case 'reaction':
      return {
        type: 'reaction',
        reaction: {
          message_id: message.messageId,
          ...(message.emoji ? { emoji: message.emoji } : {}),
        },
      };
    case 'order':
      return {
        type: 'order',
        order: {
          catalog_id: message.catalogId,
          ...(message.text === undefined ? {} : { text: message.text }),
          product_items: message.items.map((item) => ({
            product_retailer_id: item.productRetailerId,
            quantity: item.quantity,
            item_price: item.itemPrice,
            currency: item.currency,
          })),
        },
      };
    case 'system':
      return {
        type: 'system',
        system: {
          body: `User ${from} changed from ${from} to ${message.newWaId}`,
          wa_id: message.newWaId,
          type: 'user_changed_number',
        },
      };
    case 'unsupported':
      return {
        type: 'unsupported',
        errors: [
          {
            code: 131051,
            title: 'Message type unknown',
            message: 'Message type unknown',
            error_data: { details: 'Message type is currently not supported.' },
          },
        ],
      };
  }
}

export interface MessageIdentity {
  messageId: string;
  /** Unix seconds. */
  timestamp: number;
}

/** The Cloud API message for a customer post, with its reply-to, forwarding and ad referral. */
export function customerCloudMessage(post: CustomerPost, identity: MessageIdentity): WaInboundMessage {
  const context =
    post.replyTo || post.forwarded
      ? {
          ...(post.replyTo ? { from: DISPLAY_PHONE_NUMBER, id: post.replyTo } : {}),
          ...(post.forwarded ? { forwarded: true } : {}),
        }
      : undefined;
  const referral = post.referral && {
    source_url: post.referral.sourceUrl,
    source_id: post.referral.sourceId,
    source_type: post.referral.sourceType,
    ...(post.referral.headline === undefined ? {} : { headline: post.referral.headline }),
    ...(post.referral.body === undefined ? {} : { body: post.referral.body }),
    ctwa_clid: createHash('sha256').update(post.referral.sourceId).digest('hex').slice(0, 24),
  };
  return {
    from: post.from,
    id: identity.messageId,
    timestamp: String(identity.timestamp),
    ...(context ? { context } : {}),
    ...(referral ? { referral } : {}),
    ...messageContent(post.message, post.from),
  };
}

/** The webhook Meta would post for a customer post to business number `phoneNumberId`. */
export function customerWebhook(
  post: CustomerPost,
  phoneNumberId: string,
  identity: MessageIdentity = { messageId: newWaMessageId(), timestamp: Math.floor(Date.now() / 1000) },
): WaWebhook {
  const message = customerCloudMessage(post, identity);
  return messagesWebhook([inboundValue(phoneNumberId, [message], { [post.from]: post.profileName })]);
}
