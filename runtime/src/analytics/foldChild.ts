import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { startFoldTicker } from './analyticsTicker';

/*
 * Entry of the analytics fold's process (foldProcess.ts forks it at the lowest CPU priority): folds
 * new facts into the rollups every few seconds, with its own connection to the app's database.
 */

const config = loadConfig();
const log = pino({ level: config.LOG_LEVEL }).child({ process: 'analytics-fold' });

// The parent is gone (killed, crashed): nothing to fold for.
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group; the parent decides when the fold stops (SIGTERM).
process.on('SIGINT', () => {});

const db = openDatabase(join(config.DATA_DIR, 'switchboard.sqlite'));
// The runtime's checkpoint thread checkpoints this file (as for the router worker's connection).
db.$client.pragma('wal_autocheckpoint = 0');
const ticker = startFoldTicker({ db, log });
// What came in while no fold ran (a restart, a first start over old data) is folded at once.
void ticker.tick();
process.on('SIGTERM', async () => {
  await ticker.stop();
  db.$client.close();
  process.exit(0);
});
process.send?.({ type: 'ready' });
