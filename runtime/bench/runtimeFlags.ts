import { spawnSync } from 'node:child_process';
import nodeFlags from '../nodeFlags.json';

/**
 * Work the product does inside the runtime process (a shadow replay) is timed under the runtime's
 * own Node flags (`nodeFlags.json`; a larger young generation cut a replay's garbage collection).
 * Started without them, the bench runs itself again with them, tsx's loader included (it is in
 * `execArgv`), and exits with that run's status. Returns the flags, for the report.
 */
export function rerunWithRuntimeFlags(): string[] {
  const missing = nodeFlags.runtime.filter((flag) => !process.execArgv.includes(flag));
  if (missing.length === 0) return nodeFlags.runtime;
  const rerun = spawnSync(process.execPath, [...missing, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(rerun.status ?? 1);
}
