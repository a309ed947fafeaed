import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { Client, Connection } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import pino, { type Logger } from 'pino';
import { analyticsRoutes } from './analytics/analyticsRoutes';
import { startAnalyticsTicker } from './analytics/analyticsTicker';
import { createReportSubscriptions } from './analytics/reportSubscriptions';
import { installErrorHandler } from './api/httpError';
import { readRoutes } from './api/readRoutes';
import { createAssignmentViews } from './assignment/assignmentViews';
import { type Config, configToEnv } from './config';
import { conversationRoutes } from './conversations/conversationRoutes';
import { createRoutedEventQueue } from './conversations/routedEventQueue';
import { type AppDatabase, openDatabase } from './db/database';
import { seedDemoWorkspace } from './demo/seedDemo';
import { createSmtpMailer } from './effects/mailer';
import { LiveHub } from './live/liveHub';
import { socketRoutes } from './live/socketRoutes';
import { OutboxDispatcher } from './routing/dispatcher';
import { createSlaPolicyStore } from './sla/slaPolicyStore';
import { slaRoutes } from './sla/slaRoutes';
import { type DevServer, startDevServer } from './temporal/devServer';
import { waitForNamespace } from './temporal/namespaceReady';
import { startRouterWorkerRuntime } from './temporal/routerWorkerRuntime';
import { ensureTemporalCli } from './temporal/temporalCli';
import { startWorkerProcess } from './temporal/workerProcess';
import { createWebhookIngest } from './whatsapp/ingest';
import { IngestQueue } from './whatsapp/ingestQueue';
import { webhookRoutes } from './whatsapp/webhookRoutes';
import { createScheduleSync } from './workflows/scheduleSync';
import { workflowRoutes } from './workflows/workflowRoutes';
import { createWorkflowStore } from './workflows/workflowStore';

const DEFAULT_EDITOR_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../editor/dist');

export interface Switchboard {
  url: string;
  temporalAddress: string;
  temporalUiUrl: string | null;
  db: AppDatabase;
  http: FastifyInstance;
  client: Client;
  stop(): Promise<void>;
}

/**
 * Starts everything in one process: SQLite, Temporal (embedded dev server unless TEMPORAL_ADDRESS
 * is set), the router worker, the outbox dispatcher and the HTTP/websocket server.
 */
export async function startSwitchboard(
  config: Config,
  log: Logger = pino({ level: config.LOG_LEVEL }),
): Promise<Switchboard> {
  const stops: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        log.error({ err: error }, 'error while stopping');
      }
    }
  };
  try {
    const db = openDatabase(join(config.DATA_DIR, 'switchboard.sqlite'));
    stops.push(() => {
      db.$client.close();
    });
    const workflows = createWorkflowStore(db);
    if (config.DEMO && seedDemoWorkspace(db, workflows, Date.now())) log.info('seeded the demo workspace');

    let devServer: DevServer | null = null;
    let temporalAddress = config.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      const cliPath = await ensureTemporalCli(config.SWITCHBOARD_CACHE_DIR, log);
      devServer = await startDevServer({
        cliPath,
        dataDir: config.DATA_DIR,
        port: config.TEMPORAL_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        namespace: config.TEMPORAL_NAMESPACE,
        log,
      });
      stops.push(() => devServer?.stop());
      temporalAddress = devServer.address;
    }
    const connection = await Connection.connect({ address: temporalAddress });
    stops.push(() => connection.close());
    await waitForNamespace(connection, config.TEMPORAL_NAMESPACE);
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    // Schedules live in Temporal; bring them in line with what is published (after a restore, say).
    const syncSchedules = createScheduleSync({
      client,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflows,
      log,
    });
    await syncSchedules();

    const live = new LiveHub();
    const views = createAssignmentViews(db);
    const events = createRoutedEventQueue(db, config.SHARD_COUNT);
    const dispatcher = new OutboxDispatcher({
      db,
      client,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      log,
      crashAt: config.SWITCHBOARD_CRASH_AT,
    });
    // The router worker: in its own process by default, so intake and routing each get a core.
    const routerWorker =
      config.WORKER_MODE === 'process'
        ? await startWorkerProcess({
            env: { ...process.env, ...configToEnv(config), TEMPORAL_ADDRESS: temporalAddress },
            live,
            onQueued: () => dispatcher.wake(),
            log,
          })
        : await startRouterWorkerRuntime({
            config,
            temporalAddress,
            db,
            live,
            onQueued: () => dispatcher.wake(),
            log,
          });
    stops.push(() => routerWorker.stop());

    dispatcher.start();
    stops.push(() => dispatcher.stop());

    const slaPolicies = createSlaPolicyStore(db);
    const reports = createReportSubscriptions(db);
    const analytics = startAnalyticsTicker({
      db,
      policies: slaPolicies,
      reports,
      events,
      mailer: config.SMTP_URL ? createSmtpMailer(config.SMTP_URL, config.SMTP_FROM) : null,
      onQueued: () => dispatcher.wake(),
      log,
    });
    stops.push(() => analytics.stop());

    const http = Fastify({
      loggerInstance: log as FastifyBaseLogger,
      // Per-request lines at thousands of webhooks/s cost more than they tell; errors are still logged.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: config.WEBHOOK_BODY_LIMIT,
    });
    installErrorHandler(http);
    await http.register(webhookRoutes, {
      appSecret: config.WHATSAPP_APP_SECRET,
      verifyToken: config.WHATSAPP_VERIFY_TOKEN,
      bodyLimit: config.WEBHOOK_BODY_LIMIT,
      ingest: new IngestQueue(db, createWebhookIngest(db, config.SHARD_COUNT)),
      onQueued: () => dispatcher.wake(),
    });
    await http.register(readRoutes, { db, workflows, assignments: views });
    await http.register(workflowRoutes, { workflows, onPublished: syncSchedules });
    await http.register(conversationRoutes, { db, events, onQueued: () => dispatcher.wake() });
    await http.register(socketRoutes, { db, live });
    await http.register(slaRoutes, { db, policies: slaPolicies });
    await http.register(analyticsRoutes, { db, aggregator: analytics.aggregator, reports });
    await serveEditor(http, config.EDITOR_DIST ?? DEFAULT_EDITOR_DIST, log);
    await http.listen({ host: config.HOST, port: config.PORT });
    stops.push(() => http.close());
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;

    return {
      url: `http://${config.HOST}:${port}`,
      temporalAddress,
      temporalUiUrl: devServer?.uiUrl ?? null,
      db,
      http,
      client,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Serves the built editor, with the SPA's index.html for any other GET that wants a page. */
async function serveEditor(http: FastifyInstance, dist: string, log: Logger): Promise<void> {
  if (!existsSync(join(dist, 'index.html'))) {
    log.warn({ dist }, 'editor not built; the UI is not served (run npm start to build it)');
    return;
  }
  await http.register(fastifyStatic, { root: dist, wildcard: false });
  http.get('/*', (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/api/') || path.startsWith('/webhooks/')) {
      return reply.status(404).send({ error: { code: 'not_found', message: `no route for GET ${path}` } });
    }
    return reply.sendFile('index.html');
  });
}
