import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type Switchboard, startSwitchboard } from '../src/app';
import { type Config, loadConfig } from '../src/config';
import { DEMO_BUSINESS_NUMBER_ID } from '../src/demo/seedDemo';
import { startDevServer } from '../src/temporal/devServer';
import { ensureTemporalCli } from '../src/temporal/temporalCli';
import { freePort } from '../test/support/freePort';
import type { CleanupStack } from './cleanupStack';

export const BENCH_APP_SECRET = 'bench-app-secret';

export interface BenchRuntime {
  app: Switchboard;
  config: Config;
  /** The agents of the team the demo number routes to: everyone who can receive an assignment. */
  routedAgentIds: string[];
}

/**
 * A Temporal dev server and a demo-seeded runtime, both in a fresh temp dir, so that a run never
 * sees an earlier run's history. Registers their teardown on `cleanup` as each one comes up.
 */
/** The benchmarks call the API and open sockets as an admin, with this bearer token. */
export const BENCH_ADMIN_TOKEN = `sbt_bench_${randomUUID()}`;
export const benchAuthHeaders = (): Record<string, string> => ({
  authorization: `Bearer ${BENCH_ADMIN_TOKEN}`,
});

export async function startBenchRuntime(cleanup: CleanupStack): Promise<BenchRuntime> {
  // Logs go to stderr: stdout carries nothing but the JSON report.
  const log = pino({ level: 'warn' }, pino.destination(2));
  const root = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  cleanup.push(() => rm(root, { recursive: true, force: true }));
  const temporalDir = join(root, 'temporal');
  await mkdir(temporalDir);

  const [port, uiPort] = await twoFreePorts();
  const config = loadConfig({
    ...process.env,
    TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    DATA_DIR: join(root, 'app'),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    WHATSAPP_APP_SECRET: BENCH_APP_SECRET,
    DEMO: 'true',
    ADMIN_EMAIL: 'admin@bench.switchboard',
    ADMIN_PASSWORD: BENCH_ADMIN_TOKEN,
    ADMIN_API_TOKEN: BENCH_ADMIN_TOKEN,
  });
  // The CLI build (first run on a machine only) takes minutes; say so instead of looking stuck.
  const cliPath = await ensureTemporalCli(loadConfig({}).SWITCHBOARD_CACHE_DIR, {
    info: (message: string) => console.error(`bench: ${message}`),
  });
  const devServer = await startDevServer({
    cliPath,
    dataDir: temporalDir,
    port,
    uiPort,
    namespace: config.TEMPORAL_NAMESPACE,
    log,
  });
  cleanup.push(() => devServer.stop());

  const app = await startSwitchboard(config, log);
  cleanup.push(() => app.stop());
  const routedAgentIds = app.db.$client
    .prepare<[string], string>(
      `SELECT m.agent_id FROM business_numbers b JOIN team_members m ON m.team_id = b.team_id
        WHERE b.id = ? ORDER BY m.agent_id`,
    )
    .pluck()
    .all(DEMO_BUSINESS_NUMBER_ID);
  return { app, config, routedAgentIds };
}

/** Two distinct free ports (gRPC and UI); back-to-back probes can hand out the same one. */
async function twoFreePorts(): Promise<[number, number]> {
  const first = await freePort();
  for (;;) {
    const second = await freePort();
    if (second !== first) return [first, second];
  }
}
