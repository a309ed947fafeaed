import type { CustomerMessageKind, CustomerPost } from '@switchboard/shared';

/** The panel's inputs, all strings as the form holds them; `toCustomerPost` gives them their types. */
export type CustomerFormValues = Record<string, string>;

export interface FieldSpec {
  name: string;
  label: string;
  placeholder?: string;
  required?: boolean;
}

/** Which inputs each kind shows. The runtime checks the result with the shared schema. */
export const fieldsByKind: Record<CustomerMessageKind, FieldSpec[]> = {
  text: [{ name: 'body', label: 'Text', placeholder: 'Hi, my order has not arrived', required: true }],
  image: [
    { name: 'caption', label: 'Caption' },
    { name: 'mediaId', label: 'Media id (optional)' },
  ],
  video: [
    { name: 'caption', label: 'Caption' },
    { name: 'mediaId', label: 'Media id (optional)' },
  ],
  audio: [{ name: 'mediaId', label: 'Media id (optional)' }],
  document: [
    { name: 'filename', label: 'File name', placeholder: 'invoice.pdf' },
    { name: 'caption', label: 'Caption' },
  ],
  sticker: [{ name: 'mediaId', label: 'Media id (optional)' }],
  location: [
    { name: 'latitude', label: 'Latitude', placeholder: '-23.5614', required: true },
    { name: 'longitude', label: 'Longitude', placeholder: '-46.6559', required: true },
    { name: 'name', label: 'Place name' },
    { name: 'address', label: 'Address' },
  ],
  contacts: [
    { name: 'name', label: 'Contact name', required: true },
    { name: 'phone', label: 'Contact phone', placeholder: '+55 11 91234-5678', required: true },
  ],
  button_reply: [
    { name: 'id', label: 'Button id', placeholder: 'talk-to-sales', required: true },
    { name: 'title', label: 'Button title', placeholder: 'Talk to sales', required: true },
  ],
  list_reply: [
    { name: 'id', label: 'Row id', placeholder: 'refund', required: true },
    { name: 'title', label: 'Row title', placeholder: 'Refunds', required: true },
    { name: 'description', label: 'Row description' },
  ],
  button: [
    { name: 'text', label: 'Quick-reply text', placeholder: 'Stop promotions', required: true },
    { name: 'payload', label: 'Payload' },
  ],
  reaction: [
    { name: 'messageId', label: 'Reacting to (wamid)', required: true },
    { name: 'emoji', label: 'Emoji (empty: take the reaction back)', placeholder: '👍' },
  ],
  order: [
    { name: 'catalogId', label: 'Catalog id', placeholder: 'CATALOG_1', required: true },
    { name: 'sku', label: 'Product (retailer id)', placeholder: 'SKU-1', required: true },
    { name: 'quantity', label: 'Quantity', placeholder: '1', required: true },
    { name: 'price', label: 'Unit price', placeholder: '49.90', required: true },
    { name: 'currency', label: 'Currency', placeholder: 'BRL', required: true },
    { name: 'text', label: 'Note' },
  ],
  system: [{ name: 'newWaId', label: 'New number (wa_id)', placeholder: '5511900001111', required: true }],
  unsupported: [],
};

const optional = (value: string | undefined) => (value?.trim() ? value : undefined);
const numeric = (value: string | undefined) => (value?.trim() ? Number(value) : undefined);

function message(kind: CustomerMessageKind, v: CustomerFormValues): Record<string, unknown> {
  switch (kind) {
    case 'text':
      return { kind, body: v.body ?? '' };
    case 'image':
    case 'video':
    case 'audio':
    case 'sticker':
      return { kind, mediaId: optional(v.mediaId), caption: optional(v.caption) };
    case 'document':
      return { kind, filename: optional(v.filename), caption: optional(v.caption) };
    case 'location':
      return {
        kind,
        latitude: numeric(v.latitude),
        longitude: numeric(v.longitude),
        name: optional(v.name),
        address: optional(v.address),
      };
    case 'contacts':
      return { kind, name: v.name ?? '', phone: v.phone ?? '' };
    case 'button_reply':
      return { kind, id: v.id ?? '', title: v.title ?? '' };
    case 'list_reply':
      return { kind, id: v.id ?? '', title: v.title ?? '', description: optional(v.description) };
    case 'button':
      return { kind, text: v.text ?? '', payload: optional(v.payload) };
    case 'reaction':
      return { kind, messageId: v.messageId ?? '', emoji: optional(v.emoji) };
    case 'order':
      return {
        kind,
        catalogId: v.catalogId ?? '',
        text: optional(v.text),
        items: [
          {
            productRetailerId: v.sku ?? '',
            quantity: numeric(v.quantity),
            itemPrice: numeric(v.price),
            currency: v.currency ?? '',
          },
        ],
      };
    case 'system':
      return { kind, newWaId: v.newWaId ?? '' };
    case 'unsupported':
      return { kind };
  }
}

/** The request body; deliberately unchecked here so that the runtime's error names the field. */
export function toCustomerPost(kind: CustomerMessageKind, v: CustomerFormValues): CustomerPost {
  return JSON.parse(
    JSON.stringify({
      from: v.from ?? '',
      profileName: optional(v.profileName),
      phoneNumberId: optional(v.phoneNumberId),
      replyTo: optional(v.replyTo),
      forwarded: v.forwarded === 'true' ? true : undefined,
      referral: optional(v.referralUrl)
        ? {
            sourceUrl: v.referralUrl,
            sourceId: v.referralId || 'AD_DEMO',
            sourceType: 'ad',
            headline: optional(v.referralHeadline),
          }
        : undefined,
      message: message(kind, v),
    }),
  ) as CustomerPost;
}
