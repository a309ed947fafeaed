import type { Logger } from 'pino';
import { createAssignmentViews } from '../assignment/assignmentViews';
import type { ShardedConfig } from '../config';
import { createRoutedEventQueue } from '../conversations/routedEventQueue';
import type { AppDatabase } from '../db/database';
import { createEffectExecutor } from '../effects/effectExecutor';
import { createSmtpMailer } from '../effects/mailer';
import type { LivePublisher } from '../live/liveHub';
import { createRoutingActivities } from '../routing/activities';
import { createScheduleActivities } from '../schedules/scheduledRuns';
import { outboundSenderOptions } from '../whatsapp/outbound/outboundSettings';
import { createRouterWorker } from './routerWorker';

export interface RouterWorkerRuntimeOptions {
  config: ShardedConfig;
  temporalAddress: string;
  db: AppDatabase;
  live: LivePublisher;
  /** Called when an effect queued routed events, so the dispatcher sends them without waiting. */
  onQueued: () => void;
  log: Logger;
}

/** The router worker with its activities wired to the database; the same in a worker process or inline. */
export async function startRouterWorkerRuntime(options: RouterWorkerRuntimeOptions) {
  const { config, db, live, log } = options;
  const worker = await createRouterWorker({
    address: options.temporalAddress,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    stackTraces: config.WORKFLOW_STACK_TRACES,
    activities: createRoutingActivities({
      db,
      applyEffects: createEffectExecutor({
        db,
        live,
        views: createAssignmentViews(db),
        events: createRoutedEventQueue(db, config.SHARD_COUNT),
        log,
        whatsApp: outboundSenderOptions(config),
        mailer: config.SMTP_URL ? createSmtpMailer(config.SMTP_URL, config.SMTP_FROM) : null,
        onQueued: options.onQueued,
        crashAt: config.SWITCHBOARD_CRASH_AT,
      }),
    }),
    scheduleActivities: createScheduleActivities({
      db,
      events: createRoutedEventQueue(db, config.SHARD_COUNT),
      onQueued: options.onQueued,
      log,
    }),
  });
  const running = worker.run();
  return {
    running,
    async stop(): Promise<void> {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
