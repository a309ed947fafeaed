import type { Config } from '../config';

export type CrashPoint = NonNullable<Config['SWITCHBOARD_CRASH_AT']>;

/**
 * Test-only fault injection (SWITCHBOARD_CRASH_AT): dies like `kill -9` at a named point, so the
 * durability tests can crash the runtime exactly between two steps of the pipeline.
 */
export function crashIfAsked(configured: CrashPoint | undefined, point: CrashPoint): void {
  if (configured !== point) return;
  // In a worker process (forked, so it has an IPC channel) the crash takes the whole runtime down.
  if (process.send) process.kill(process.ppid, 'SIGKILL');
  process.kill(process.pid, 'SIGKILL');
}
