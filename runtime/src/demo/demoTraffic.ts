import { inboundTextWebhook } from '../whatsapp/inboundPayloads';
import type { WebhookIngest } from '../whatsapp/ingest';
import { DEMO_BUSINESS_NUMBER_ID } from './seedDemo';

const TEXTS = ['Olá, preciso de ajuda', 'My invoice is wrong', 'Where is my order?', 'urgent: cannot log in'];

/**
 * Stores inbound WhatsApp texts as if Meta had posted them, one new customer each, `spacingMs`
 * apart from `startAt`: traffic for shadow replay and its benchmark to re-run. Goes through the
 * real ingest, so conversations, messages and outbox rows are exactly what production records.
 */
export function recordDemoTraffic(
  ingest: WebhookIngest,
  options: { conversations: number; startAt: number; spacingMs: number; customerPrefix?: string },
): void {
  for (let i = 0; i < options.conversations; i++) {
    const at = options.startAt + i * options.spacingMs;
    const payload = inboundTextWebhook({
      phoneNumberId: DEMO_BUSINESS_NUMBER_ID,
      from: `${options.customerPrefix ?? '55119'}${String(i).padStart(8, '0')}`,
      text: TEXTS[i % TEXTS.length] ?? 'hello',
      messageId: `wamid.traffic.${options.customerPrefix ?? ''}${at}.${i}`,
      timestamp: Math.floor(at / 1000),
      profileName: `Customer ${i}`,
    });
    const body = JSON.stringify(payload);
    ingest(body, 'sha256=recorded', payload, at);
  }
}
