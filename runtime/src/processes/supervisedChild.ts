import { type ChildProcess, fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

/** The runtime package, where `tsx` (the TypeScript loader a child needs) resolves. */
const RUNTIME_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What a child says once it is working; every other message goes to `onMessage`. */
export type ChildReady = { type: 'ready' };

export interface SupervisedChildOptions<Message> {
  /** What the logs call it. */
  name: string;
  /** The child's TypeScript entry (absolute path). */
  entry: string;
  /** The child's environment: the runtime's settings, resolved. */
  env: NodeJS.ProcessEnv;
  log: Logger;
  onMessage?: (message: Message) => void;
  /** CPU niceness (`setpriority`): 19 gives the child only the CPU time the others leave. */
  niceness?: number;
}

export interface SupervisedChild {
  /** The running child's process id (a restarted child has a new one). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Runs `entry` in a child process of the runtime and keeps it running: a child that dies after it
 * said it was ready is started again a second later. Resolves once the first one is ready; a child
 * that dies before that fails the start (a set-up problem, not one to loop on).
 */
export async function startSupervisedChild<Message>(
  options: SupervisedChildOptions<Message>,
): Promise<SupervisedChild> {
  let child: ChildProcess;
  let stopping = false;

  const spawnChild = () =>
    new Promise<void>((resolve, reject) => {
      let ready = false;
      child = fork(options.entry, [], {
        cwd: RUNTIME_DIR,
        env: options.env,
        // A profiled runtime (`node --cpu-prof`) gets profiled children too: the flag is refused in NODE_OPTIONS.
        execArgv: [...process.execArgv.filter((flag) => flag.startsWith('--cpu-prof')), '--import', 'tsx'],
        stdio: 'inherit',
        // Structured clone instead of JSON lines: the worker's assignments cross as JSON texts (see
        // LiveDelivery), which a JSON channel would escape on one side and unescape on the other.
        serialization: 'advanced',
      });
      if (options.niceness !== undefined && child.pid !== undefined) setPriority(child.pid, options.niceness);
      child.on('message', (message: Message | ChildReady) => {
        if ((message as ChildReady).type === 'ready') {
          ready = true;
          resolve();
        } else options.onMessage?.(message as Message);
      });
      child.once('exit', (code, signal) => {
        if (!ready) {
          reject(new Error(`${options.name} exited during start-up (${signal ?? code})`));
          return;
        }
        if (stopping) return;
        options.log.error({ code, signal }, `${options.name} process died; starting a new one`);
        setTimeout(() => {
          if (!stopping)
            spawnChild().catch((error) =>
              options.log.fatal({ err: error }, `${options.name} restart failed`),
            );
        }, 1000);
      });
    });

  await spawnChild();
  return {
    get pid() {
      return child.pid;
    },
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
