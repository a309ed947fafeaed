import { randomUUID } from 'node:crypto';
import type { Effect, EffectResult } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';

type SendWhatsAppEffect = Extract<Effect, { type: 'sendWhatsApp' }>;

export interface CloudApiSettings {
  baseUrl: string;
  version: string;
  accessToken: string;
}

/** Meta delivers free-form messages only within 24 hours of the customer's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Sends through the Cloud API (`POST /{version}/{phone-number-id}/messages`) and stores the
 * outbound message with the id Meta returns. Free-form messages outside the window are refused
 * before any call, with a reason the execution can branch on.
 */
export function createWhatsAppSender(db: AppDatabase, settings: CloudApiSettings) {
  const conversation = db.$client.prepare<
    [string],
    { business_number_id: string; customer_wa_id: string; last_inbound_at: number | null }
  >(`SELECT business_number_id, customer_wa_id, last_inbound_at FROM conversations WHERE id = ?`);
  const insertMessage = db.$client.prepare(
    `INSERT INTO messages (id, wa_message_id, conversation_id, direction, type, text, payload, sent_at, status, status_at)
     VALUES (?, ?, ?, 'outbound', ?, ?, ?, ?, 'sent', ?)`,
  );

  return async function send(effect: SendWhatsAppEffect, now: number): Promise<EffectResult> {
    const row = conversation.get(effect.conversationId);
    if (!row) return refused(`conversation ${effect.conversationId} does not exist`);
    if (
      effect.requiresOpenWindow &&
      (row.last_inbound_at === null || now - row.last_inbound_at >= CUSTOMER_SERVICE_WINDOW_MS)
    ) {
      return refused('outside the 24-hour customer-service window: send a template instead');
    }
    if (!settings.accessToken)
      return refused('WhatsApp sending is not configured (WHATSAPP_ACCESS_TOKEN is empty)');
    const body = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: row.customer_wa_id,
      ...effect.message,
    };
    const response = await fetch(
      `${settings.baseUrl}/${settings.version}/${row.business_number_id}/messages`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${settings.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      },
    );
    const reply = (await response.json().catch(() => ({}))) as {
      messages?: { id: string }[];
      error?: { code?: number; message?: string };
    };
    const waMessageId = reply.messages?.[0]?.id;
    if (!response.ok || !waMessageId) {
      const code = reply.error?.code;
      // Rate limits are worth waiting for: throw so that Temporal retries the activity with backoff.
      if (code === 130429 || code === 131056 || response.status === 429 || response.status >= 500) {
        throw new Error(`Cloud API ${response.status} (${code ?? 'no code'}): retrying`);
      }
      return refused(
        `Cloud API error ${code ?? response.status}: ${reply.error?.message ?? 'no message id returned'}`,
      );
    }
    const text = effect.message.type === 'text' ? effect.message.text.body : null;
    insertMessage.run(
      randomUUID(),
      waMessageId,
      effect.conversationId,
      effect.message.type,
      text,
      JSON.stringify(body),
      now,
      now,
    );
    return { type: 'sendWhatsApp', waMessageId, refusedReason: null };
  };
}

function refused(reason: string): EffectResult {
  return { type: 'sendWhatsApp', waMessageId: null, refusedReason: reason };
}
