import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { LiveDelivery, LivePublisher } from '../live/liveHub';
import { type ChildReady, startSupervisedChild } from '../processes/supervisedChild';

export type WorkerChildMessage =
  | ChildReady
  /** Everything published in one turn of the child's event loop: one IPC message, not one each. */
  | { type: 'live'; deliveries: LiveDelivery[] }
  /** The child journaled messages up to `seq` itself (see LivePublisher.journaledThrough). */
  | { type: 'journaled'; seq: number }
  | { type: 'queued' };

export interface WorkerProcessOptions {
  /** The child's environment: the runtime's settings, with TEMPORAL_ADDRESS resolved. */
  env: NodeJS.ProcessEnv;
  live: LivePublisher;
  onQueued: () => void;
  log: Logger;
}

const CHILD_ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'workerChild.ts');

/**
 * Runs the router worker in a child process and keeps it running: a worker that dies is started
 * again (Temporal hands its unfinished tasks to the new one). Resolves once the worker polls.
 */
export function startWorkerProcess(options: WorkerProcessOptions): Promise<{ stop(): Promise<void> }> {
  return startSupervisedChild<Exclude<WorkerChildMessage, ChildReady>>({
    name: 'router worker',
    entry: CHILD_ENTRY,
    env: options.env,
    log: options.log,
    onMessage: (message) => {
      if (message.type === 'live') options.live.publishAll(message.deliveries);
      else if (message.type === 'journaled') options.live.journaledThrough(message.seq);
      else options.onQueued();
    },
  });
}
