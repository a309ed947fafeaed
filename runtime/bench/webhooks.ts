/**
 * Webhook intake benchmark: signed inbound webhooks posted by this process (the load generator)
 * to the runtime's webhook intake running in a process of its own (bench/webhookServer.ts).
 *
 *   - throughput: webhooks acknowledged per second, closed loop at BENCH_WEBHOOK_CONCURRENCY;
 *   - steady1000: acknowledgement latency p50/p99 at an open-loop 1,000/s (latency counted from
 *     the scheduled send time, so a stalled server cannot hide behind a slower sender).
 *
 * After each scenario the database is read to check that every acknowledged webhook and its
 * message were stored. JSON report on stdout and in bench/results/; exits 1 on any loss.
 *
 *   BENCH_WEBHOOK_COUNT=20000 BENCH_WEBHOOK_STEADY_SECONDS=10 BENCH_CPU_PROFILE_DIR=/tmp/prof pnpm bench
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DEMO_BUSINESS_NUMBER_ID } from '../src/demo/seedDemo';
import { inboundTextWebhook } from '../src/whatsapp/inboundPayloads';
import { signWebhookBody } from '../src/whatsapp/signature';
import { JsonPoster } from './jsonPoster';
import { runBounded, runOpenLoop } from './pacing';
import { round, summarizeLatencies } from './percentiles';
import { machineInfo, saveReport } from './reportFile';
import type { WebhookServerMessage } from './webhookServer';

const COUNT = envCount('BENCH_WEBHOOK_COUNT', 20_000);
const CONCURRENCY = envCount('BENCH_WEBHOOK_CONCURRENCY', 64);
const STEADY_SECONDS = envCount('BENCH_WEBHOOK_STEADY_SECONDS', 10);
const STEADY_RATE = 1000;
const WARM_UP = 2000;
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR;
const TARGETS = { acknowledgedPerSecond: 5000, p99At1000PerSecondMs: 20 };
const SECRET = 'bench-webhook-secret';
const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

function envCount(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

interface Delivery {
  messageId: string;
  body: string;
  signature: string;
}

/** Bodies are built and signed before the clock starts: Meta signs on its side, not ours. */
function deliveries(prefix: string, count: number): Delivery[] {
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const messageId = `wamid.${prefix}${i}`;
    const body = JSON.stringify(
      inboundTextWebhook({
        phoneNumberId: DEMO_BUSINESS_NUMBER_ID,
        // A few thousand customers writing repeatedly: new and existing conversations both.
        from: `55119${String(i % 5000).padStart(8, '0')}`,
        text: `Olá! Pedido #${i} ainda não chegou 📦 — pode verificar?`,
        messageId,
        timestamp,
        profileName: `Cliente ${i % 5000}`,
      }),
    );
    return { messageId, body, signature: signWebhookBody(body, SECRET) };
  });
}

class IntakeServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: URL,
  ) {}

  static async start(dataDir: string): Promise<IntakeServer> {
    const execArgv = ['--import', 'tsx'];
    if (PROFILE_DIR) execArgv.push('--cpu-prof', `--cpu-prof-dir=${resolve(PROFILE_DIR)}`);
    const child = fork(join(BENCH_DIR, 'webhookServer.ts'), [dataDir, SECRET], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolveUrl, reject) => {
      child.once('exit', (code) => reject(new Error(`webhook server exited (${code}) before it was ready`)));
      child.on('message', (message: WebhookServerMessage) => {
        if (message.type === 'ready') resolveUrl(message.url);
      });
    });
    return new IntakeServer(child, new URL('/webhooks/whatsapp', url));
  }

  /** The server's own CPU time so far, in ms. */
  cpuMs(): Promise<number> {
    return new Promise((resolveCpu) => {
      const onMessage = (message: WebhookServerMessage) => {
        if (message.type !== 'cpu') return;
        this.child.off('message', onMessage);
        resolveCpu(message.userMs + message.systemMs);
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'cpu' });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.send({ type: 'stop' });
    await exited;
  }
}

/** How many of `ids` have their raw event and their message stored, read from the database file. */
function storedCount(file: string, prefix: string): { events: number; messages: number } {
  const sqlite = new Database(file, { readonly: true });
  try {
    const like = `%wamid.${prefix}%`;
    const events = sqlite.prepare('SELECT count(*) FROM webhook_events WHERE body LIKE ?').pluck().get(like);
    const messages = sqlite
      .prepare('SELECT count(*) FROM messages WHERE wa_message_id LIKE ?')
      .pluck()
      .get(`wamid.${prefix}%`);
    return { events: events as number, messages: messages as number };
  } finally {
    sqlite.close();
  }
}

async function main(): Promise<number> {
  const root = await mkdtemp(join(tmpdir(), 'switchboard-webhook-bench-'));
  const databaseFile = join(root, 'switchboard.sqlite');
  const server = await IntakeServer.start(root);
  const loadBefore = loadavg().map((value) => round(value, 2));
  const progress = (message: string) => console.error(`webhook bench: ${message}`);
  try {
    const client = new JsonPoster(server.url, CONCURRENCY);
    const post = (delivery: Delivery) =>
      client.post(server.url.pathname, delivery.body, { 'x-hub-signature-256': delivery.signature });
    progress(`warming up (${WARM_UP} webhooks)`);
    const warm = deliveries('WARM', WARM_UP);
    await runBounded(warm.length, 16, async (i) => {
      await post(warm[i] as Delivery);
    });

    progress(`throughput: ${COUNT} webhooks, ${CONCURRENCY} in flight`);
    const burst = deliveries('BURST', COUNT);
    let acknowledged = 0;
    const cpuBefore = await server.cpuMs();
    const started = performance.now();
    await runBounded(burst.length, CONCURRENCY, async (i) => {
      if ((await post(burst[i] as Delivery)) === 200) acknowledged++;
    });
    const seconds = (performance.now() - started) / 1000;
    const serverCpuMs = (await server.cpuMs()) - cpuBefore;
    const burstStored = storedCount(databaseFile, 'BURST');
    const throughput = {
      webhooks: COUNT,
      concurrency: CONCURRENCY,
      acknowledged,
      failed: COUNT - acknowledged,
      seconds: round(seconds, 2),
      acknowledgedPerSecond: Math.round(acknowledged / seconds),
      stored: burstStored,
      serverCpuMsPerWebhook: round(serverCpuMs / COUNT, 3),
      lastError: client.lastError,
    };
    progress(JSON.stringify(throughput));

    progress(`steady: ${STEADY_RATE}/s for ${STEADY_SECONDS} s`);
    const steady = deliveries('STEADY', STEADY_RATE * STEADY_SECONDS);
    const latencies: number[] = [];
    let steadyAcknowledged = 0;
    const { startLagsMs } = await runOpenLoop(steady.length, STEADY_RATE, async (i, scheduledAt) => {
      const status = await post(steady[i] as Delivery);
      latencies.push(performance.now() - scheduledAt);
      if (status === 200) steadyAcknowledged++;
    });
    const steady1000 = {
      ratePerSecond: STEADY_RATE,
      seconds: STEADY_SECONDS,
      acknowledged: steadyAcknowledged,
      failed: steady.length - steadyAcknowledged,
      acknowledgementMs: summarizeLatencies(latencies),
      senderStartLagMs: summarizeLatencies(startLagsMs),
      stored: storedCount(databaseFile, 'STEADY'),
    };
    progress(JSON.stringify(steady1000));
    await client.close();

    const lost =
      throughput.failed +
      steady1000.failed +
      (acknowledged - Math.min(burstStored.events, burstStored.messages)) +
      (steadyAcknowledged - Math.min(steady1000.stored.events, steady1000.stored.messages));
    const report = {
      benchmark: 'webhooks',
      at: new Date().toISOString(),
      machine: machineInfo(),
      loadAverage: { before: loadBefore, after: loadavg().map((value) => round(value, 2)) },
      setup:
        'load generator in this process; the webhook intake (Fastify, signature check, group-committed SQLite WAL) in a child process; routing not running',
      targets: TARGETS,
      throughput,
      steady1000,
      meetsTargets: {
        acknowledgedPerSecond: throughput.acknowledgedPerSecond >= TARGETS.acknowledgedPerSecond,
        p99At1000PerSecond: steady1000.acknowledgementMs.p99 < TARGETS.p99At1000PerSecondMs,
      },
      lost,
    };
    const json = JSON.stringify(report, null, 2);
    console.log(json);
    progress(`saved ${await saveReport('webhooks', new Date(), json)}`);
    return lost === 0 ? 0 : 1;
  } finally {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
