import { join } from 'node:path';
import type { SocketMessage } from '@switchboard/shared';
import pino from 'pino';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import type { LiveDelivery } from '../live/liveHub';
import { settleShardCount } from '../routing/shardCount';
import { startRouterWorkerRuntime } from './routerWorkerRuntime';
import type { WorkerChildMessage } from './workerProcess';

/*
 * Entry of the worker process that `workerProcess.ts` forks: the router worker and its activities,
 * on their own core. Live updates and dispatcher wake-ups go to the parent over the IPC channel.
 */

const config = loadConfig();
const log = pino({ level: config.LOG_LEVEL }).child({ process: 'router-worker' });
const send = (message: WorkerChildMessage) => process.send?.(message);

// An effect chunk publishes up to a hundred assignments in one go; they cross the pipe together.
let deliveries: LiveDelivery[] = [];
const publishAll = (more: readonly LiveDelivery[]) => {
  if (more.length === 0) return;
  if (deliveries.length === 0) {
    setImmediate(() => {
      send({ type: 'live', deliveries });
      deliveries = [];
    });
  }
  deliveries.push(...more);
};
const publish = (agentId: string, message: SocketMessage) => publishAll([{ agentId, message }]);
// At once, not batched like `publishAll`'s deliveries: those are numbered when the runtime journals
// them, after every row this process has committed, so pages receive them after these either way.
const journaledThrough = (seq: number) => send({ type: 'journaled', seq });

// The parent is gone (killed, crashed): a worker without its runtime must not keep acting.
process.on('disconnect', () => process.exit(1));
// Ctrl-C reaches the whole process group; the parent decides when the worker stops (SIGTERM).
process.on('SIGINT', () => {});

const db = openDatabase(join(config.DATA_DIR, 'switchboard.sqlite'));
// The runtime's checkpoint thread checkpoints this file. Left on, SQLite checkpointed (and fsynced)
// inside whichever assignment commit took the WAL past 1,000 pages, holding the write lock meanwhile.
db.$client.pragma('wal_autocheckpoint = 0');
const runtime = await startRouterWorkerRuntime({
  // The runtime settled the count before it started this process, and passed it on.
  config: { ...config, SHARD_COUNT: settleShardCount(db, config.SHARD_COUNT) },
  temporalAddress: config.TEMPORAL_ADDRESS ?? '',
  db,
  live: { publish, publishAll, journaledThrough },
  onQueued: () => send({ type: 'queued' }),
  log,
});
runtime.running.catch((error) => {
  log.fatal({ err: error }, 'router worker stopped');
  process.exit(1);
});
process.on('SIGTERM', async () => {
  await runtime.stop();
  db.$client.close();
  process.exit(0);
});
send({ type: 'ready' });
