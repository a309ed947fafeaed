import type { Effect, EffectResult } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';
import { createOutboundSender, type OutboundSenderOptions } from '../whatsapp/outbound/outboundSender';

export { CUSTOMER_SERVICE_WINDOW_MS } from '../whatsapp/outbound/customerServiceWindow';

type SendWhatsAppEffect = Extract<Effect, { type: 'sendWhatsApp' }>;

/**
 * A workflow's send, through the same sender as agent replies. Refusals (the window, Meta's
 * 131047, 131026, 190, 100, rate limits that outlast the bounded retries) become a result the
 * execution branches on ("failed"); a pacing wait too long to sit out and an outage of the Cloud
 * API throw, so that Temporal retries the activity later.
 */
export function createWhatsAppSender(db: AppDatabase, options: OutboundSenderOptions) {
  const sender = createOutboundSender(db, options);
  return async function send(effect: SendWhatsAppEffect, now: number): Promise<EffectResult> {
    const outcome = await sender.send({
      conversationId: effect.conversationId,
      message: effect.message,
      requiresOpenWindow: effect.requiresOpenWindow,
      now,
    });
    if (outcome.sent)
      return { type: 'sendWhatsApp', waMessageId: outcome.message.waMessageId, refusedReason: null };
    if (outcome.failure.kind === 'paced') throw new Error(outcome.failure.message);
    return { type: 'sendWhatsApp', waMessageId: null, refusedReason: outcome.failure.message };
  };
}
