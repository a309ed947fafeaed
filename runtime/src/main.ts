import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { startSwitchboard } from './app';
import { loadConfig } from './config';
import { startupBanner } from './startupBanner';

const config = loadConfig();
const log = pino({ level: config.LOG_LEVEL });

mkdirSync(config.DATA_DIR, { recursive: true });
const lockFile = join(config.DATA_DIR, 'runtime.pid');
const holder = lockHolder(lockFile);
if (holder !== null) {
  console.error(
    `Switchboard is already running (pid ${holder}) with data in ${config.DATA_DIR}. Stop it first.`,
  );
  process.exit(1);
}
writeFileSync(lockFile, String(process.pid));

try {
  const app = await startSwitchboard(config, log);
  console.log(startupBanner(app, config.DEMO));
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await app.stop();
    rmSync(lockFile, { force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  rmSync(lockFile, { force: true });
  log.fatal({ err: error }, 'Switchboard failed to start');
  process.exit(1);
}

/** The pid of a live runtime holding the data dir, or null. A stale file from a crash is ignored. */
function lockHolder(file: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}
