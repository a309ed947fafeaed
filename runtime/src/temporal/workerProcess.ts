import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { LiveDelivery, LivePublisher } from '../live/liveHub';

export type WorkerChildMessage =
  | { type: 'ready' }
  /** Everything published in one turn of the child's event loop: one IPC message, not one each. */
  | { type: 'live'; deliveries: LiveDelivery[] }
  | { type: 'queued' };

export interface WorkerProcessOptions {
  /** The child's environment: the runtime's settings, with TEMPORAL_ADDRESS resolved. */
  env: NodeJS.ProcessEnv;
  live: LivePublisher;
  onQueued: () => void;
  log: Logger;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const CHILD_ENTRY = join(HERE, 'workerChild.ts');
/** The runtime package, where `tsx` (the TypeScript loader the child needs) resolves. */
const RUNTIME_DIR = join(HERE, '..', '..');

/**
 * Runs the router worker in a child process and keeps it running: a worker that dies is started
 * again (Temporal hands its unfinished tasks to the new one). Resolves once the worker polls.
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<{ stop(): Promise<void> }> {
  let child: ChildProcess;
  let stopping = false;

  const spawnChild = () =>
    new Promise<void>((resolve, reject) => {
      let ready = false;
      child = fork(CHILD_ENTRY, [], {
        cwd: RUNTIME_DIR,
        env: options.env,
        // A profiled runtime (`node --cpu-prof`) gets a profiled worker too: the flag is refused in NODE_OPTIONS.
        execArgv: [...process.execArgv.filter((flag) => flag.startsWith('--cpu-prof')), '--import', 'tsx'],
        stdio: 'inherit',
        // Structured clone instead of JSON lines: the assignments cross as JSON texts (see
        // LiveDelivery), which a JSON channel would escape on one side and unescape on the other.
        serialization: 'advanced',
      });
      child.on('message', (message: WorkerChildMessage) => {
        if (message.type === 'ready') {
          ready = true;
          resolve();
        } else if (message.type === 'live') {
          options.live.publishAll(message.deliveries);
        } else options.onQueued();
      });
      child.once('exit', (code, signal) => {
        // Dying before it ever polled is a set-up problem: fail the start instead of looping.
        if (!ready) {
          reject(new Error(`router worker exited during start-up (${signal ?? code})`));
          return;
        }
        if (stopping) return;
        options.log.error({ code, signal }, 'router worker process died; starting a new one');
        setTimeout(() => {
          if (!stopping)
            spawnChild().catch((error) => options.log.fatal({ err: error }, 'router worker restart failed'));
        }, 1000);
      });
    });

  await spawnChild();
  return {
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
