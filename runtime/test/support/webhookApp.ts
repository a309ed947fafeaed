import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { installErrorHandler } from '../../src/api/httpError';
import type { AppDatabase } from '../../src/db/database';
import { createWebhookIngest } from '../../src/whatsapp/ingest';
import { IngestQueue } from '../../src/whatsapp/ingestQueue';
import { signWebhookBody } from '../../src/whatsapp/signature';
import { webhookRoutes } from '../../src/whatsapp/webhookRoutes';
import { demoDatabase } from './testDatabase';

export const WEBHOOK_TEST_SECRET = 'unit-secret';

export interface WebhookTestApp {
  db: AppDatabase;
  app: FastifyInstance;
  /** How often the dispatcher would have been woken. */
  wakes(): number;
  /** Posts `body` signed with the test secret; `signature: null` sends no header at all. */
  post(body: string, signature?: string | null): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The webhook endpoint alone, over a fresh demo database. */
export async function webhookTestApp(bodyLimit = 4096): Promise<WebhookTestApp> {
  const { db } = demoDatabase();
  let wakes = 0;
  const app = Fastify();
  installErrorHandler(app);
  await app.register(webhookRoutes, {
    appSecret: WEBHOOK_TEST_SECRET,
    verifyToken: 'verify-me',
    bodyLimit,
    ingest: new IngestQueue(db, createWebhookIngest(db, 8)),
    onQueued: () => {
      wakes++;
    },
  });
  return {
    db,
    app,
    wakes: () => wakes,
    post: (body, signature = signWebhookBody(body, WEBHOOK_TEST_SECRET)) =>
      app.inject({
        method: 'POST',
        url: '/webhooks/whatsapp',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-hub-signature-256': signature } : {}),
        },
        payload: body,
      }),
    close: async () => {
      await app.close();
      db.$client.close();
    },
  };
}
