import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pino from 'pino';
import nodeFlags from '../nodeFlags.json';
import { type Config, configToEnv, loadConfig } from '../src/config';
import { DEMO_BUSINESS_NUMBER_ID } from '../src/demo/seedDemo';
import { appUrlInBanner } from '../src/startupBanner';
import { startDevServer } from '../src/temporal/devServer';
import { ensureTemporalCli } from '../src/temporal/temporalCli';
import { freePort } from '../test/support/freePort';
import { BENCH_ADMIN_TOKEN, BENCH_APP_SECRET } from './benchRuntime';
import type { CleanupStack } from './cleanupStack';

const RUNTIME_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STARTUP_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export interface ProductProcess {
  url: string;
  config: Config;
  /** The runtime (`src/main.ts`), as `npm start` runs it; its router worker is a child of it. */
  runtimePid: number;
  temporalPid: number;
  /** A connection of the load generator's own to the runtime's SQLite file: set-up and counting only. */
  sqlite: Database.Database;
  routedAgentIds: string[];
  /** The runtime's router shard count, as it settled it in the data directory. */
  shardCount: number;
}

export interface ProductOptions {
  /** Extra environment for the runtime (SHARD_COUNT, WORKER_MODE…), parsed by its own config schema. */
  env: Record<string, string>;
  /** When set, the runtime and its worker write V8 CPU profiles here when they stop. */
  cpuProfileDir?: string;
}

/**
 * The product as it is deployed: a Temporal dev server and `src/main.ts` in processes of their own,
 * away from the load generator, in a fresh temp dir, so that a run never sees an earlier run's
 * history and the load generator's CPU is not billed to the runtime's event loop.
 */
export async function startProduct(cleanup: CleanupStack, options: ProductOptions): Promise<ProductProcess> {
  const log = pino({ level: 'warn' }, pino.destination(2));
  const root = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  if (!process.env.BENCH_KEEP_DATA) cleanup.push(() => rm(root, { recursive: true, force: true }));
  const temporalDir = join(root, 'temporal');
  await mkdir(temporalDir);

  const [temporalPort, uiPort] = (await distinctFreePorts(2)) as [number, number];
  const config = loadConfig({
    ...options.env,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    DATA_DIR: join(root, 'app'),
    HOST: '127.0.0.1',
    // Bound by the runtime itself, which prints where: a port picked free here and bound later was
    // once taken meanwhile (EADDRINUSE), the processes' outgoing connections drawing from the same range.
    PORT: '0',
    LOG_LEVEL: 'warn',
    WHATSAPP_APP_SECRET: BENCH_APP_SECRET,
    DEMO: 'true',
    // The load generator's sockets and API calls sign in with this admin token.
    ADMIN_EMAIL: 'admin@bench.switchboard',
    ADMIN_PASSWORD: BENCH_ADMIN_TOKEN,
    ADMIN_API_TOKEN: BENCH_ADMIN_TOKEN,
  });
  // The CLI build (first run on a machine only) takes minutes; say so instead of looking stuck.
  const cliPath = await ensureTemporalCli(config.SWITCHBOARD_CACHE_DIR, {
    info: (message: string) => console.error(`bench: ${message}`),
  });
  const devServer = await startDevServer({
    cliPath,
    dataDir: temporalDir,
    port: temporalPort,
    uiPort,
    namespace: config.TEMPORAL_NAMESPACE,
    log,
  });
  cleanup.push(() => devServer.stop());

  // The worker process passes --cpu-prof flags on to its child (Node refuses them in NODE_OPTIONS).
  const profiling = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const runtime = spawn(
    process.execPath,
    [...profiling, ...nodeFlags.runtime, '--import', 'tsx', 'src/main.ts'],
    {
      cwd: RUNTIME_DIR,
      env: { ...process.env, ...configToEnv(config) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  cleanup.push(() => stopRuntime(runtime));
  const url = await runtimeReady(runtime);

  const sqlite = new Database(join(config.DATA_DIR, 'switchboard.sqlite'));
  sqlite.pragma('busy_timeout = 5000');
  cleanup.push(() => sqlite.close());
  const routedAgentIds = sqlite
    .prepare<[string], string>(
      `SELECT m.agent_id FROM business_numbers b JOIN team_members m ON m.team_id = b.team_id
        WHERE b.id = ? ORDER BY m.agent_id`,
    )
    .pluck()
    .all(DEMO_BUSINESS_NUMBER_ID);
  const shardCount = Number(
    sqlite.prepare(`SELECT value FROM deployment_settings WHERE key = 'shard_count'`).pluck().get(),
  );
  return {
    url,
    shardCount,
    config,
    runtimePid: runtime.pid as number,
    temporalPid: devServer.pid,
    sqlite,
    routedAgentIds,
  };
}

/** Resolves with the app's URL when main.ts prints its banner (it listens by then); rejects when it exits first. */
function runtimeReady(runtime: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`the runtime did not start within ${STARTUP_TIMEOUT_MS} ms`)),
      STARTUP_TIMEOUT_MS,
    );
    runtime.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = appUrlInBanner(output);
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    runtime.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the runtime exited during start-up (${signal ?? code}): ${output}`));
    });
  });
}

/** SIGTERM, as Ctrl-C would: the runtime stops its worker in order (and profiles get written). */
async function stopRuntime(runtime: ChildProcess): Promise<void> {
  if (runtime.exitCode !== null || runtime.signalCode !== null) return;
  const exited = new Promise((resolve) => runtime.once('exit', resolve));
  runtime.kill('SIGTERM');
  const timer = setTimeout(() => runtime.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Back-to-back probes can hand out the same port. */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
