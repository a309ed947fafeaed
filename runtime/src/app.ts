import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { shardOf, type WorkflowVersion } from '@switchboard/shared';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import pino, { type Logger } from 'pino';
import { accessControl } from './access/accessControl';
import { authRoutes } from './access/authRoutes';
import { bootstrapAccess } from './access/bootstrapAccess';
import { createIdentities } from './access/identities';
import { LoginRateLimit } from './access/loginRateLimit';
import { userRoutes } from './access/userRoutes';
import { analyticsRoutes } from './analytics/analyticsRoutes';
import { startAnalyticsTicker } from './analytics/analyticsTicker';
import { startFoldProcess } from './analytics/foldProcess';
import { createReportSubscriptions } from './analytics/reportSubscriptions';
import { installErrorHandler } from './api/httpError';
import { readRoutes } from './api/readRoutes';
import { createAssignmentViews } from './assignment/assignmentViews';
import { type Config, configToEnv, customerSimulatorEnabled, type ShardedConfig } from './config';
import { conversationRoutes } from './conversations/conversationRoutes';
import { createRoutedEventQueue } from './conversations/routedEventQueue';
import { type AppDatabase, openDatabase } from './db/database';
import { startWalCheckpointer } from './db/walCheckpointer';
import { writeWhenFree } from './db/writeLock';
import { seedDemoWorkspace } from './demo/seedDemo';
import { createSmtpMailer } from './effects/mailer';
import { createNotifier } from './effects/notifications';
import { createExecutionQueries } from './executions/executionQueries';
import { executionRoutes } from './executions/executionRoutes';
import { createStopRequestStore } from './executions/stopRequests';
import { createBatchNews, createConversationNews, startMessageFeed } from './inbox/conversationNews';
import { createInboxQueries } from './inbox/inboxQueries';
import { inboxRoutes } from './inbox/inboxRoutes';
import { createVisibility } from './inbox/visibility';
import { LiveHub } from './live/liveHub';
import { socketRoutes } from './live/socketRoutes';
import { createDigestSender } from './notifications/digest';
import { notificationRoutes } from './notifications/notificationRoutes';
import { createRedrive } from './redrive/redrive';
import { redriveRoutes } from './redrive/redriveRoutes';
import { createReplayJobs } from './replay/replayJobs';
import { replayRoutes } from './replay/replayRoutes';
import { OutboxDispatcher } from './routing/dispatcher';
import { routerWorkflowId, stopExecutionSignal } from './routing/routerWorkflow';
import { createSafePointAnnouncer } from './routing/safePointAnnouncer';
import { settleShardCount } from './routing/shardCount';
import { createShardHealth } from './routing/shardHealth';
import { shardRoutes } from './routing/shardRoutes';
import { createSlaPolicyStore } from './sla/slaPolicyStore';
import { slaRoutes } from './sla/slaRoutes';
import { createPresence } from './team/presence';
import { teamRoutes } from './team/teamRoutes';
import { type DevServer, startDevServer } from './temporal/devServer';
import { waitForNamespace } from './temporal/namespaceReady';
import { installTemporalRuntime, routerDataConverter } from './temporal/routerWorker';
import { startRouterWorkerRuntime } from './temporal/routerWorkerRuntime';
import { ensureTemporalCli } from './temporal/temporalCli';
import { startWorkerProcess } from './temporal/workerProcess';
import { createParkedStatusReplay } from './whatsapp/deliveryStatuses';
import { createWebhookIngest } from './whatsapp/ingest';
import { IngestQueue } from './whatsapp/ingestQueue';
import { mediaRoutes } from './whatsapp/media/mediaRoutes';
import { createTemplateStore, DEMO_TEMPLATES, seedTemplates } from './whatsapp/outbound/messageTemplates';
import { outboundRoutes } from './whatsapp/outbound/outboundRoutes';
import { createOutboundSender } from './whatsapp/outbound/outboundSender';
import { outboundSenderOptions } from './whatsapp/outbound/outboundSettings';
import { customerRoutes } from './whatsapp/simulator/customerRoutes';
import { startSimulatorIfWanted } from './whatsapp/simulator/demoSimulator';
import type { GraphApiSimulator } from './whatsapp/simulator/graphApiSimulator';
import { webhookRoutes } from './whatsapp/webhookRoutes';
import { draftRoutes } from './workflows/draftRoutes';
import { dryRunRoutes } from './workflows/dryRunRoutes';
import { createScheduleSync } from './workflows/scheduleSync';
import { versionRoutes } from './workflows/versionRoutes';
import { createWorkflowDrafts } from './workflows/workflowDrafts';
import { workflowRoutes } from './workflows/workflowRoutes';
import { createWorkflowStore } from './workflows/workflowStore';

const DEFAULT_EDITOR_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../editor/dist');
/** How often the runtime looks at the router shards' history sizes (a describe and a query per shard). */
const SHARD_HEALTH_INTERVAL_MS = 60_000;

export interface Switchboard {
  url: string;
  temporalAddress: string;
  temporalUiUrl: string | null;
  db: AppDatabase;
  http: FastifyInstance;
  client: Client;
  /** The loopback Graph API when no Meta credentials were given; null when talking to Meta. */
  graphApi: GraphApiSimulator | null;
  /** The data directory's router shard count (SHARD_COUNT, else the stored or new default). */
  shardCount: number;
  stop(): Promise<void>;
}

/**
 * Starts everything in one process: SQLite, Temporal (embedded dev server unless TEMPORAL_ADDRESS
 * is set), the router worker, the outbox dispatcher and the HTTP/websocket server.
 */
export async function startSwitchboard(
  givenConfig: Config,
  log: Logger = pino({ level: givenConfig.LOG_LEVEL }),
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
    const { config: configBeforeShards, simulator } = await startSimulatorIfWanted(givenConfig, log);
    if (simulator) stops.push(() => simulator.stop());
    const databaseFile = join(configBeforeShards.DATA_DIR, 'switchboard.sqlite');
    const db = openDatabase(databaseFile);
    stops.push(() => {
      db.$client.close();
    });
    const config: ShardedConfig = {
      ...configBeforeShards,
      SHARD_COUNT: settleShardCount(db, configBeforeShards.SHARD_COUNT),
    };
    // WAL checkpoints (and their fsync) move off this event loop, which answers the webhooks.
    db.$client.pragma('wal_autocheckpoint = 0');
    const checkpointer = startWalCheckpointer(databaseFile, (message) =>
      log.error({ message }, 'WAL checkpoint failed'),
    );
    stops.push(() => checkpointer.stop());
    const workflows = createWorkflowStore(db);
    if (config.DEMO && seedDemoWorkspace(db, workflows, Date.now())) log.info('seeded the demo workspace');
    // Also into demo databases made before templates existed; rows already there are kept.
    if (config.DEMO) seedTemplates(db, DEMO_TEMPLATES);
    const identities = createIdentities(db);
    await bootstrapAccess(
      db,
      identities,
      {
        demo: config.DEMO,
        adminEmail: config.ADMIN_EMAIL,
        adminPassword: config.ADMIN_PASSWORD,
        adminApiToken: config.ADMIN_API_TOKEN,
      },
      log,
      Date.now(),
    );

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
    const client = new Client({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      dataConverter: routerDataConverter,
    });
    // Schedules live in Temporal; bring them in line with what is published (after a restore, say).
    const syncSchedules = createScheduleSync({
      client,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflows,
      log,
    });
    await syncSchedules();

    const live = new LiveHub(db);
    const presence = createPresence(db, live);
    const visibility = createVisibility(db);
    const news = createConversationNews(db, live);
    const messageFeed = startMessageFeed(db, createBatchNews(db, live));
    stops.push(() => messageFeed.stop());
    const mailer = config.SMTP_URL ? createSmtpMailer(config.SMTP_URL, config.SMTP_FROM) : null;
    const notify = createNotifier(db, live, mailer, log);
    const sendDueDigests = createDigestSender(db, mailer, log);
    const housekeeping = setInterval(() => {
      const now = Date.now();
      // A busy database under load must not end the process: the next turn sweeps again.
      const skipped = (error: unknown) => log.warn({ err: error }, 'housekeeping skipped');
      presence.sweepIdle(now - config.AGENT_IDLE_MINUTES * 60_000, now).catch(skipped);
      try {
        live.prune(now);
      } catch (error) {
        skipped(error);
      }
      sendDueDigests(now).catch((error: unknown) => log.error({ err: error }, 'digest failed'));
    }, 15_000);
    housekeeping.unref();
    stops.push(() => clearInterval(housekeeping));
    const views = createAssignmentViews(db);
    const events = createRoutedEventQueue(db, config.SHARD_COUNT);
    // The dispatcher signals over the SDK's native (Rust) connection: per signal it costs the event
    // loop about half of what the pure-JS gRPC client does (measured in `pnpm bench` profiles).
    installTemporalRuntime();
    const dispatchConnection = await NativeConnection.connect({ address: temporalAddress });
    stops.push(() => dispatchConnection.close());
    const dispatcher = new OutboxDispatcher({
      db,
      client: new Client({
        connection: dispatchConnection,
        namespace: config.TEMPORAL_NAMESPACE,
        dataConverter: routerDataConverter,
      }),
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
    const safePoints = createSafePointAnnouncer({
      client,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      shardCount: config.SHARD_COUNT,
      workflows,
      log,
    });
    await safePoints.announceAll();
    const shardHealth = createShardHealth({
      client,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      shardCount: config.SHARD_COUNT,
      log,
    });
    // A run nearing Temporal's history limit is said in the log, once per run, before it fails.
    stops.push(shardHealth.watch(SHARD_HEALTH_INTERVAL_MS));
    const onPublished = async (version: WorkflowVersion) => {
      await syncSchedules();
      await safePoints.afterPublish(version);
    };

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
      fold: config.WORKER_MODE !== 'process',
    });
    stops.push(() => analytics.stop());
    // With the router worker in a process of its own, the fold gets one too, at the lowest priority.
    if (config.WORKER_MODE === 'process') {
      const fold = await startFoldProcess({ env: { ...process.env, ...configToEnv(config) }, log });
      stops.push(() => fold.stop());
    }

    const http = Fastify({
      loggerInstance: log as FastifyBaseLogger,
      // Per-request lines at thousands of webhooks/s cost more than they tell; errors are still logged.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: config.WEBHOOK_BODY_LIMIT,
      trustProxy: config.TRUST_PROXY,
    });
    installErrorHandler(http);
    // Before every route: the one place where who may do what is decided.
    await http.register(accessControl, { db, identities });
    await http.register(authRoutes, {
      db,
      identities,
      lastSeq: (agentId) => live.lastSeq(agentId),
      rateLimit: new LoginRateLimit({
        perAddress: config.LOGIN_ATTEMPTS_PER_ADDRESS,
        perEmail: config.LOGIN_FAILURES_PER_EMAIL,
        windowMs: 15 * 60_000,
      }),
    });
    await http.register(userRoutes, { db, identities });
    await http.register(webhookRoutes, {
      appSecret: config.WHATSAPP_APP_SECRET,
      verifyToken: config.WHATSAPP_VERIFY_TOKEN,
      bodyLimit: config.WEBHOOK_BODY_LIMIT,
      ingest: new IngestQueue(db, createWebhookIngest(db, config.SHARD_COUNT), (rows) =>
        dispatcher.handOver(rows),
      ),
      onQueued: () => dispatcher.wake(),
    });
    await http.register(customerRoutes, {
      db,
      appSecret: config.WHATSAPP_APP_SECRET,
      enabled: customerSimulatorEnabled(config),
    });
    await http.register(readRoutes, { db, workflows, assignments: views });
    await http.register(workflowRoutes, { workflows, onPublished });
    await http.register(versionRoutes, { workflows, onPublished });
    const temporalUiUrl = devServer?.uiUrl ?? config.TEMPORAL_UI_URL ?? null;
    const stopRequests = createStopRequestStore(db);
    await http.register(executionRoutes, {
      queries: createExecutionQueries(db),
      shardLink: (conversationId) => {
        const workflowId = routerWorkflowId(
          config.TEMPORAL_TASK_QUEUE,
          shardOf(conversationId, config.SHARD_COUNT),
        );
        const namespace = encodeURIComponent(config.TEMPORAL_NAMESPACE);
        return {
          workflowId,
          url: temporalUiUrl
            ? `${temporalUiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}`
            : null,
        };
      },
      // Both wait for the write lock with the event loop free (see writeWhenFree).
      recordStop: (request) =>
        writeWhenFree(db.$client, () =>
          stopRequests.record(shardOf(request.conversationId, config.SHARD_COUNT), request, Date.now()),
        ),
      stopInShard: async (workflowId, request) => {
        await client.workflow.getHandle(workflowId).signal(stopExecutionSignal, request);
      },
      graphOf: (versionId) => workflows.version(versionId)?.graph ?? null,
      queueRetry: async ({ conversationId, workflowVersionId, nodeId, requestedBy }) => {
        const queued = await writeWhenFree(db.$client, () =>
          events.enqueue(
            conversationId,
            { type: 'manual.run', occurredAt: Date.now(), requestedBy, startAtNodeId: nodeId },
            { workflowVersionId },
          ),
        );
        if (queued) dispatcher.wake();
        return queued;
      },
    });
    const replayJobs = createReplayJobs(db, log);
    stops.push(() => replayJobs.stop());
    await http.register(replayRoutes, { workflows, jobs: replayJobs });
    await http.register(redriveRoutes, {
      workflows,
      redrive: createRedrive(db, events),
      onQueued: () => dispatcher.wake(),
    });
    await http.register(conversationRoutes, {
      db,
      events,
      onQueued: () => dispatcher.wake(),
      onChanged: news,
    });
    await http.register(inboxRoutes, {
      db,
      queries: createInboxQueries(db),
      visibility,
      news,
      notify,
      live,
      assignments: views,
      events,
      onQueued: () => dispatcher.wake(),
    });
    await http.register(teamRoutes, { db, presence });
    await http.register(notificationRoutes, { db });
    await http.register(socketRoutes, { db, live, visibility, presence });
    const replayParkedStatuses = createParkedStatusReplay(db, events);
    const sender = createOutboundSender(db, {
      ...outboundSenderOptions(config),
      onStored: (waMessageId) => {
        if (replayParkedStatuses(waMessageId)) dispatcher.wake();
      },
    });
    await http.register(outboundRoutes, { db, sender, templates: createTemplateStore(db) });
    await http.register(mediaRoutes, { api: sender.api, configured: Boolean(config.WHATSAPP_ACCESS_TOKEN) });
    await http.register(draftRoutes, { drafts: createWorkflowDrafts(db) });
    await http.register(dryRunRoutes, { db });
    await http.register(slaRoutes, { db, policies: slaPolicies });
    await http.register(analyticsRoutes, { db, aggregator: analytics.aggregator, reports });
    await http.register(shardRoutes, { health: shardHealth });
    await serveEditor(http, config.EDITOR_DIST ?? DEFAULT_EDITOR_DIST, log);
    await http.listen({ host: config.HOST, port: config.PORT });
    stops.push(() => http.close());
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const localHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
    // The simulator posts its status webhooks to us, signed with our app secret, as Meta would.
    simulator?.setWebhook({
      url: `http://${localHost}:${port}/webhooks/whatsapp`,
      appSecret: config.WHATSAPP_APP_SECRET,
    });

    return {
      url: `http://${config.HOST}:${port}`,
      temporalAddress,
      temporalUiUrl,
      db,
      http,
      client,
      graphApi: simulator,
      shardCount: config.SHARD_COUNT,
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
