import { waWebhookEnvelopeSchema } from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import { errorBody } from '../api/httpError';
import type { IngestOutcome } from './ingest';
import type { IngestQueue } from './ingestQueue';
import { isValidWebhookSignature } from './signature';

export interface WebhookRoutesOptions {
  appSecret: string;
  verifyToken: string;
  bodyLimit: number;
  ingest: IngestQueue;
  /** Called after a delivery with new events committed, to wake the dispatcher early. */
  onQueued: () => void;
}

export const webhookRoutes: FastifyPluginAsync<WebhookRoutesOptions> = async (app, options) => {
  // The signature covers the raw bytes, so the body must reach us unparsed.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: options.bodyLimit },
    (_req, body, done) => done(null, body),
  );

  // Meta's subscription handshake: echo hub.challenge when the token matches.
  app.get('/webhooks/whatsapp', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    if (query['hub.mode'] !== 'subscribe') {
      return reply.status(400).send(errorBody('invalid_mode', 'hub.mode must be "subscribe"', 'hub.mode'));
    }
    if (query['hub.verify_token'] !== options.verifyToken) {
      return reply
        .status(403)
        .send(errorBody('invalid_verify_token', 'hub.verify_token does not match', 'hub.verify_token'));
    }
    const challenge = query['hub.challenge'];
    if (!challenge) {
      return reply
        .status(400)
        .send(errorBody('missing_challenge', 'hub.challenge is required', 'hub.challenge'));
    }
    return reply.type('text/plain').send(challenge);
  });

  app.post('/webhooks/whatsapp', async (request, reply) => {
    const body = request.body;
    if (!Buffer.isBuffer(body)) {
      return reply
        .status(415)
        .send(
          errorBody('unsupported_media_type', 'webhooks must be sent as application/json', 'content-type'),
        );
    }
    const signature = request.headers['x-hub-signature-256'];
    const header = Array.isArray(signature) ? signature[0] : signature;
    if (!header) {
      return reply
        .status(401)
        .send(
          errorBody('missing_signature', 'X-Hub-Signature-256 header is required', 'x-hub-signature-256'),
        );
    }
    if (!isValidWebhookSignature(body, header, options.appSecret)) {
      return reply
        .status(401)
        .send(
          errorBody(
            'invalid_signature',
            'X-Hub-Signature-256 does not match the body',
            'x-hub-signature-256',
          ),
        );
    }
    const raw = body.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return reply.status(400).send(errorBody('malformed_json', 'the body is not valid JSON', 'body'));
    }
    const parsed = waWebhookEnvelopeSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'body';
      return reply
        .status(400)
        .send(errorBody('invalid_webhook', `${field}: ${issue?.message ?? 'not a WhatsApp webhook'}`, field));
    }
    let outcome: IngestOutcome;
    try {
      outcome = await options.ingest.submit(raw, header, parsed.data, Date.now());
    } catch (error) {
      // Not stored, so not acknowledged: Meta retries a non-2xx delivery for up to 7 days.
      request.log.error({ err: error }, 'webhook delivery could not be stored');
      return reply
        .status(503)
        .send(errorBody('not_stored', 'the delivery could not be stored; retry later', 'body'));
    }
    if (outcome.eventsQueued > 0) options.onQueued();
    return reply.send({ received: true, ...outcome });
  });
};
