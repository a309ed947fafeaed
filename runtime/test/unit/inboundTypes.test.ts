import type { CustomerMessage, CustomerPost } from '@switchboard/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_BUSINESS_NUMBER_ID } from '../../src/demo/seedDemo';
import { customerWebhook } from '../../src/whatsapp/inboundPayloads';
import { type WebhookTestApp, webhookTestApp } from '../support/webhookApp';

let harness: WebhookTestApp;
beforeEach(async () => {
  harness = await webhookTestApp(64 * 1024);
});
afterEach(() => harness.close());

interface StoredMessage {
  type: string;
  text: string | null;
  payload: string;
  media_id: string | null;
  media_mime_type: string | null;
  media_sha256: string | null;
  media_filename: string | null;
  reply_to_wa_message_id: string | null;
}

let sequence = 0;

/** Sends what the customer did through the signed webhook; returns the stored row and the routed event. */
async function customerSends(message: CustomerMessage, extra: Partial<CustomerPost> = {}) {
  const messageId = `wamid.TYPE${++sequence}`;
  const post: CustomerPost = { from: '5511988887777', profileName: 'Ana', message, ...extra };
  const body = JSON.stringify(
    customerWebhook(post, DEMO_BUSINESS_NUMBER_ID, { messageId, timestamp: 1_764_000_000 + sequence }),
  );
  const reply = await harness.post(body);
  expect(reply.statusCode).toBe(200);
  expect(reply.json()).toMatchObject({ messagesStored: 1, eventsQueued: 1, rejected: 0 });
  const sqlite = harness.db.$client;
  const row = sqlite
    .prepare(
      `SELECT type, text, payload, media_id, media_mime_type, media_sha256, media_filename, reply_to_wa_message_id
         FROM messages WHERE wa_message_id = ?`,
    )
    .get(messageId) as StoredMessage;
  const outbox = sqlite
    .prepare('SELECT payload FROM outbox ORDER BY seq DESC LIMIT 1')
    .pluck()
    .get() as string;
  return { row, cloud: JSON.parse(row.payload), event: JSON.parse(outbox) };
}

describe('every inbound message type is stored and routed with its facts', () => {
  it('text: stored byte for byte (emoji, right-to-left, 4,096 characters); the routed text is capped', async () => {
    const opening = 'שלום مرحبا 👩🏽‍💻 ';
    const body = opening + 'ж'.repeat(4096 - opening.length);
    expect(body).toHaveLength(4096);
    const { row, event } = await customerSends({ kind: 'text', body });
    expect(row.text).toBe(body);
    expect(Buffer.from(row.text ?? '').equals(Buffer.from(body))).toBe(true);
    expect(event).toMatchObject({ messageType: 'text', isNewConversation: true });
    expect(event.text).toBe(body.slice(0, 1024));
  });

  it.each([
    ['image', { kind: 'image', mediaId: '880001', caption: 'the broken box' }, 'image/jpeg', null],
    ['video', { kind: 'video', mediaId: '880002', mimeType: 'video/3gpp' }, 'video/3gpp', null],
    ['sticker', { kind: 'sticker', mediaId: '880003' }, 'image/webp', null],
    [
      'document',
      { kind: 'document', mediaId: '880004', filename: 'invoice-42.pdf' },
      'application/pdf',
      'invoice-42.pdf',
    ],
  ] as const)(
    '%s: the media id, mime type, sha256, caption and file name are kept for the inbox',
    async (type, message, mime, filename) => {
      const { row, event } = await customerSends(message);
      expect(row).toMatchObject({
        type,
        media_id: message.mediaId,
        media_mime_type: mime,
        media_filename: filename,
        text: 'caption' in message ? message.caption : null,
      });
      expect(row.media_sha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(event).toMatchObject({ messageType: type, text: row.text });
    },
  );

  it('audio: a voice note keeps its voice flag and Opus mime type', async () => {
    const { row, cloud, event } = await customerSends({ kind: 'audio', mediaId: '880005', voice: true });
    expect(row).toMatchObject({
      type: 'audio',
      media_id: '880005',
      media_mime_type: 'audio/ogg; codecs=opus',
    });
    expect(cloud.audio.voice).toBe(true);
    expect(event.messageType).toBe('audio');
  });

  it('location: the place name is the readable text; coordinates are kept', async () => {
    const { row, cloud, event } = await customerSends({
      kind: 'location',
      latitude: -23.5614,
      longitude: -46.6559,
      name: 'Av. Paulista store',
      address: 'Av. Paulista, 1578',
    });
    expect(row.type).toBe('location');
    expect(cloud.location).toMatchObject({ latitude: -23.5614, longitude: -46.6559 });
    expect(event).toMatchObject({ messageType: 'location', text: 'Av. Paulista store' });
  });

  it('contacts: the shared card is kept, its name is the text', async () => {
    const { cloud, event } = await customerSends({
      kind: 'contacts',
      name: 'João Silva',
      phone: '+55 11 91234-5678',
    });
    expect(cloud.contacts[0].phones[0]).toMatchObject({ phone: '+55 11 91234-5678', wa_id: '5511912345678' });
    expect(event).toMatchObject({ messageType: 'contacts', text: 'João Silva' });
  });

  it('interactive button_reply: routed as interactive with the button title; the id is kept', async () => {
    const { cloud, event } = await customerSends({
      kind: 'button_reply',
      id: 'talk-to-sales',
      title: 'Talk to sales',
    });
    expect(cloud.interactive.button_reply.id).toBe('talk-to-sales');
    expect(event).toMatchObject({
      messageType: 'interactive',
      text: 'Talk to sales',
      replyId: 'talk-to-sales',
    });
  });

  it('interactive list_reply: routed with the row title', async () => {
    const { cloud, event } = await customerSends({
      kind: 'list_reply',
      id: 'refund',
      title: 'Refunds',
      description: 'Money back for an order',
    });
    expect(cloud.interactive).toMatchObject({ type: 'list_reply', list_reply: { id: 'refund' } });
    expect(event).toMatchObject({ messageType: 'interactive', text: 'Refunds', replyId: 'refund' });
  });

  it('template quick-reply button: routed as button with its text; the payload is kept', async () => {
    const { cloud, event } = await customerSends({
      kind: 'button',
      text: 'Stop promotions',
      payload: 'OPT_OUT',
    });
    expect(cloud.button.payload).toBe('OPT_OUT');
    expect(event).toMatchObject({ messageType: 'button', text: 'Stop promotions', replyId: 'OPT_OUT' });
  });

  it('reaction: the emoji is the text; taking it back (no emoji) is stored with no text', async () => {
    const added = await customerSends({ kind: 'reaction', messageId: 'wamid.OURS1', emoji: '❤️' });
    expect(added.event).toMatchObject({ messageType: 'reaction', text: '❤️' });
    expect(added.cloud.reaction.message_id).toBe('wamid.OURS1');
    const removed = await customerSends({ kind: 'reaction', messageId: 'wamid.OURS1' });
    expect(removed.cloud.reaction).not.toHaveProperty('emoji');
    expect(removed.row).toMatchObject({ type: 'reaction', text: null });
    expect(removed.event).toMatchObject({ messageType: 'reaction', text: null, isNewConversation: false });
  });

  it('order: the cart is kept with its items', async () => {
    const { cloud, event } = await customerSends({
      kind: 'order',
      catalogId: 'CAT1',
      text: 'Please deliver before 6pm',
      items: [{ productRetailerId: 'SKU-9', quantity: 2, itemPrice: 49.9, currency: 'BRL' }],
    });
    expect(cloud.order.product_items).toEqual([
      { product_retailer_id: 'SKU-9', quantity: 2, item_price: 49.9, currency: 'BRL' },
    ]);
    expect(event).toMatchObject({ messageType: 'order', text: 'Please deliver before 6pm' });
  });

  it('system (customer changed number): routed as system with the notice; the new wa_id is kept', async () => {
    const { cloud, event } = await customerSends({ kind: 'system', newWaId: '5511900001111' });
    expect(cloud.system).toMatchObject({ wa_id: '5511900001111', type: 'user_changed_number' });
    expect(event.messageType).toBe('system');
    expect(event.text).toContain('5511900001111');
  });

  it('a customer who changed number keeps the conversation: the new number continues it', async () => {
    const before = await customerSends({ kind: 'text', body: 'hi' }, { from: '5511955550001' });
    await customerSends({ kind: 'system', newWaId: '5511955550002' }, { from: '5511955550001' });
    const after = await customerSends({ kind: 'text', body: 'my new phone' }, { from: '5511955550002' });
    expect(after.event.conversationId).toBe(before.event.conversationId);
    expect(after.event.isNewConversation).toBe(false);
    const sqlite = harness.db.$client;
    expect(
      sqlite
        .prepare('SELECT customer_wa_id FROM conversations WHERE id = ?')
        .pluck()
        .get(before.event.conversationId),
    ).toBe('5511955550002');
    expect(sqlite.prepare(`SELECT count(*) FROM contacts WHERE wa_id = '5511955550001'`).pluck().get()).toBe(
      0,
    );
  });

  it('a change to a number already known leaves both records as they are', async () => {
    const first = await customerSends({ kind: 'text', body: 'old phone' }, { from: '5511955560001' });
    const second = await customerSends({ kind: 'text', body: 'other phone' }, { from: '5511955560002' });
    await customerSends({ kind: 'system', newWaId: '5511955560002' }, { from: '5511955560001' });
    const sqlite = harness.db.$client;
    const waIdOf = sqlite.prepare('SELECT customer_wa_id FROM conversations WHERE id = ?').pluck();
    expect(waIdOf.get(first.event.conversationId)).toBe('5511955560001');
    expect(waIdOf.get(second.event.conversationId)).toBe('5511955560002');
  });

  it('unsupported: stored with Meta’s errors and routed as unsupported', async () => {
    const { row, cloud, event } = await customerSends({ kind: 'unsupported' });
    expect(row).toMatchObject({ type: 'unsupported', text: null });
    expect(cloud.errors[0].code).toBe(131051);
    expect(event.messageType).toBe('unsupported');
  });

  it('a type Meta adds later (or `unknown`) is stored raw and routed as unsupported', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { phone_number_id: DEMO_BUSINESS_NUMBER_ID },
                messages: [
                  {
                    from: '5511911110000',
                    id: 'wamid.POLL1',
                    timestamp: '1764000000',
                    type: 'unknown',
                    errors: [{ code: 131051, title: 'Message type unknown' }],
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    expect((await harness.post(body)).statusCode).toBe(200);
    const row = harness.db.$client.prepare(`SELECT type, payload FROM messages`).get() as StoredMessage;
    expect(row.type).toBe('unsupported');
    expect(JSON.parse(row.payload).type).toBe('unknown');
  });

  it('context: a reply keeps the id it replies to; a forward is marked', async () => {
    const reply = await customerSends({ kind: 'text', body: 'yes, this one' }, { replyTo: 'wamid.OURS2' });
    expect(reply.row.reply_to_wa_message_id).toBe('wamid.OURS2');
    const forward = await customerSends({ kind: 'image', mediaId: '880006' }, { forwarded: true });
    expect(forward.cloud.context).toEqual({ forwarded: true });
    expect(forward.row.reply_to_wa_message_id).toBeNull();
  });

  it('click-to-WhatsApp referral: the ad is kept on the message', async () => {
    const { cloud, event } = await customerSends(
      { kind: 'text', body: 'I saw your ad' },
      {
        referral: {
          sourceUrl: 'https://fb.me/abc',
          sourceId: 'AD-77',
          sourceType: 'ad',
          headline: 'Winter sale',
        },
      },
    );
    expect(cloud.referral).toMatchObject({ source_id: 'AD-77', source_type: 'ad', headline: 'Winter sale' });
    expect(event).toMatchObject({ messageType: 'text', text: 'I saw your ad', referralSourceId: 'AD-77' });
  });

  it('a contact without a profile is stored without a name', async () => {
    await customerSends({ kind: 'text', body: 'hi' }, { from: '5511977776666', profileName: undefined });
    const name = harness.db.$client
      .prepare(`SELECT name FROM contacts WHERE wa_id = '5511977776666'`)
      .pluck()
      .get();
    expect(name).toBeNull();
  });

  it('a returning customer keeps their contact: a new profile name replaces the stored one, none keeps it', async () => {
    const from = '5511966665555';
    const contactRow = () =>
      harness.db.$client
        .prepare<[string], { id: string; name: string | null }>(
          `SELECT id, name FROM contacts WHERE wa_id = ?`,
        )
        .get(from);
    const first = await customerSends({ kind: 'text', body: 'hi' }, { from, profileName: 'Bea' });
    const stored = contactRow();
    expect(first.event.facts.contact).toMatchObject({ name: 'Bea', language: null, fields: {} });

    const renamed = await customerSends({ kind: 'text', body: 'again' }, { from, profileName: 'Beatriz' });
    expect(contactRow()).toEqual({ id: stored?.id, name: 'Beatriz' });
    expect(renamed.event.facts.contact).toMatchObject({ name: 'Beatriz' });

    const nameless = await customerSends(
      { kind: 'text', body: 'once more' },
      { from, profileName: undefined },
    );
    expect(contactRow()).toEqual({ id: stored?.id, name: 'Beatriz' });
    expect(nameless.event.facts.contact).toMatchObject({ name: 'Beatriz' });
  });
});
