import { type CustomerPost, customerMessageKinds, customerPostSchema } from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import { errorBody, HttpError } from '../../api/httpError';
import type { AppDatabase } from '../../db/database';
import { customerWebhook, newWaMessageId } from '../inboundPayloads';
import { signWebhookBody } from '../signature';

export interface CustomerRoutesOptions {
  db: AppDatabase;
  /** Signs as Meta would: the simulated webhook must pass the same signature check as a real one. */
  appSecret: string;
  enabled: boolean;
}

const DISABLED_MESSAGE =
  'the customer simulator is off: it runs in demo mode, with the demo app secret, or with CUSTOMER_SIMULATOR=true';

/**
 * The app's customer simulator panel posts here: the runtime builds the webhook Meta would send for
 * what the customer did, signs it, and hands it to its own webhook endpoint, so that the message
 * takes exactly the path a real one takes (signature, storage, routing).
 */
export const customerRoutes: FastifyPluginAsync<CustomerRoutesOptions> = async (app, options) => {
  const businessNumbers = options.db.$client.prepare<[], { id: string; displayPhoneNumber: string | null }>(
    `SELECT id, display_phone_number AS displayPhoneNumber FROM business_numbers ORDER BY created_at, id`,
  );

  app.get('/api/simulator', async () => ({
    enabled: options.enabled,
    kinds: customerMessageKinds,
    businessNumbers: options.enabled ? businessNumbers.all() : [],
  }));

  // Posing as any customer is a manager's tool, like changing workflows.
  app.post('/api/simulator/customer-messages', { config: { access: 'manager' } }, async (request, reply) => {
    if (!options.enabled) return reply.status(404).send(errorBody('simulator_disabled', DISABLED_MESSAGE));
    const parsed = customerPostSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'body';
      throw new HttpError(400, 'invalid_customer_message', `${field}: ${issue?.message ?? 'invalid'}`, field);
    }
    const post: CustomerPost = parsed.data;
    const phoneNumberId = post.phoneNumberId ?? businessNumbers.all()[0]?.id;
    if (!phoneNumberId) {
      throw new HttpError(400, 'no_business_number', 'no business number is known yet', 'phoneNumberId');
    }
    const messageId = newWaMessageId();
    const body = JSON.stringify(
      customerWebhook(post, phoneNumberId, { messageId, timestamp: Math.floor(Date.now() / 1000) }),
    );
    const delivered = await app.inject({
      method: 'POST',
      url: '/webhooks/whatsapp',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signWebhookBody(body, options.appSecret),
      },
      payload: body,
    });
    const webhook = { status: delivered.statusCode, reply: delivered.json() };
    if (delivered.statusCode !== 200) {
      const refusal = (webhook.reply as { error?: { message?: string } }).error?.message ?? 'no reason given';
      return reply.status(502).send({
        ...errorBody('webhook_refused', `the webhook endpoint answered ${delivered.statusCode}: ${refusal}`),
        webhook,
      });
    }
    return reply.status(201).send({ messageId, phoneNumberId, webhook, payload: JSON.parse(body) });
  });
};
