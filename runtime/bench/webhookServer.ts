/**
 * The webhook intake of the runtime, alone in a process of its own, for bench/webhooks.ts: the
 * same Fastify options, routes, ingest and group commit as src/app.ts, over a file database in WAL
 * mode seeded with the demo workspace. Routing (dispatcher, Temporal) is left out so that the
 * numbers are the intake's; the outbox simply fills up. Talks to its parent over IPC.
 */
import { join } from 'node:path';
import Fastify, { LogController } from 'fastify';
import { installErrorHandler } from '../src/api/httpError';
import { openDatabase } from '../src/db/database';
import { startWalCheckpointer } from '../src/db/walCheckpointer';
import { seedDemoWorkspace } from '../src/demo/seedDemo';
import { createWebhookIngest } from '../src/whatsapp/ingest';
import { IngestQueue } from '../src/whatsapp/ingestQueue';
import { webhookRoutes } from '../src/whatsapp/webhookRoutes';
import { createWorkflowStore } from '../src/workflows/workflowStore';

export type WebhookServerMessage =
  | { type: 'ready'; url: string }
  | { type: 'cpu'; userMs: number; systemMs: number; queueWakes: number };

const [dataDir, appSecret] = process.argv.slice(2);
if (!dataDir || !appSecret || !process.send) {
  throw new Error('webhookServer.ts is started by bench/webhooks.ts (fork with IPC, data dir and secret)');
}
const send = (message: WebhookServerMessage) => process.send?.(message);

const databaseFile = join(dataDir, 'switchboard.sqlite');
const db = openDatabase(databaseFile);
// As src/app.ts does; BENCH_INLINE_CHECKPOINTS=true measures SQLite's own checkpoints on the loop.
if (process.env.BENCH_INLINE_CHECKPOINTS !== 'true') {
  db.$client.pragma('wal_autocheckpoint = 0');
  startWalCheckpointer(databaseFile, (message) => console.error(`checkpoint failed: ${message}`));
}
seedDemoWorkspace(db, createWorkflowStore(db), Date.now());
let queueWakes = 0;
const http = Fastify({
  logController: new LogController({ disableRequestLogging: true }),
  bodyLimit: 1_048_576,
});
installErrorHandler(http);
await http.register(webhookRoutes, {
  appSecret,
  verifyToken: 'bench',
  bodyLimit: 1_048_576,
  ingest: new IngestQueue(db, createWebhookIngest(db, 8)),
  onQueued: () => {
    queueWakes++;
  },
});
const url = await http.listen({ host: '127.0.0.1', port: 0 });

process.on('message', (message: { type: string }) => {
  if (message.type === 'cpu') {
    const usage = process.cpuUsage();
    send({ type: 'cpu', userMs: usage.user / 1000, systemMs: usage.system / 1000, queueWakes });
  } else if (message.type === 'stop') {
    void http.close().then(() => {
      db.$client.close();
      process.exit(0);
    });
  }
});
send({ type: 'ready', url });
