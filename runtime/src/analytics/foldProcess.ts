import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { startSupervisedChild } from '../processes/supervisedChild';

const CHILD_ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'foldChild.ts');

/** Lowest priority: the fold runs on what CPU intake and routing leave (see startFoldProcess). */
export const FOLD_NICENESS = 19;

/**
 * Runs the analytics fold in a process of its own at the lowest CPU priority. In the runtime's event
 * loop, a tick's batches (at 1,000 conversations/s, 5 s of messages and assignments every 5 s) held
 * webhooks, signals and pushes behind them: in a timeline of the routing bench the slow windows,
 * every shard late at once, came 5 s apart, and with the tick off they were gone. Here the kernel
 * gives routing the cores first; on a machine with time to spare the fold runs as often as before,
 * and on one flooded for long it falls behind until the flood ends. A dashboard request still folds
 * up to 5,000 new rows per source itself before it answers (analyticsRoutes.ts).
 */
export function startFoldProcess(options: { env: NodeJS.ProcessEnv; log: Logger }) {
  return startSupervisedChild<never>({
    name: 'analytics fold',
    entry: CHILD_ENTRY,
    env: options.env,
    log: options.log,
    niceness: FOLD_NICENESS,
  });
}
