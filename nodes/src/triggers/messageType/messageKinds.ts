import type { InboundMessageType } from '@switchboard/shared';
import type { MessageKind } from './schema';

/** Which kinds a WhatsApp message type counts as; a sticker is both media and a sticker. */
export function messageKinds(type: InboundMessageType): MessageKind[] {
  switch (type) {
    case 'text':
      return ['text'];
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
      return ['media'];
    case 'sticker':
      return ['media', 'sticker'];
    case 'location':
      return ['location'];
    case 'contacts':
      return ['contacts'];
    // `interactive` is a tap on a reply button or list row we sent; `button` a tap on a template's button.
    case 'interactive':
    case 'button':
      return ['button_reply'];
    case 'reaction':
      return ['reaction'];
    case 'order':
      return ['order'];
    case 'system':
    case 'unsupported':
      return [];
  }
}
