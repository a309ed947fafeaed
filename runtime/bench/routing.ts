/**
 * Routing benchmark: webhooks in, assignments out on the agents' sockets, through a real Temporal
 * dev server. The product runs as deployed — `src/main.ts` in a process of its own, its router
 * worker in a child of that, the dev server in a third — and this process is only the load
 * generator: keep-alive connections posting signed webhooks, one socket per agent timing pushes.
 * Prints a JSON report and keeps it under bench/results/. Exits 1 when any webhook was refused, any
 * assignment did not arrive, or any conversation was assigned twice.
 *
 *   BENCH_BURST=5000 BENCH_STEADY_SECONDS=30 BENCH_TIMEOUT_SECONDS=120 pnpm bench
 *   BENCH_SCENARIOS=burst,steady100 BENCH_CPU_PROFILE_DIR=/tmp/prof SHARD_COUNT=4 pnpm bench
 *
 * SHARD_COUNT and WORKER_MODE are handed to the runtime; BENCH_CPU_PROFILE_DIR makes the runtime
 * and its worker write V8 CPU profiles (`node --cpu-prof`) there when they stop. BENCH_TIMELINE_DIR
 * gets each steady scenario's conversations with their shard and stage times (steady1000.json…),
 * to see when and where the tail happened (a shard continuing as new shows as a column of slow ones).
 *
 * Timers under load (every third of 100,000 conversations escalated) are bench/escalation.ts, a
 * separate script: it runs for the acknowledgement timeout plus several minutes.
 */
import { TEMPORAL_CLI_VERSION } from '../src/temporal/temporalCli';
import { AssignmentWatcher } from './assignmentWatcher';
import { BENCH_APP_SECRET } from './benchRuntime';
import { type CleanupStack, runBenchmark } from './cleanupStack';
import { cpuSampler, loadAverage } from './processCpu';
import { startProduct } from './productProcess';
import { machineInfo, referenceWorkMs, saveReport } from './reportFile';
import {
  type BurstResult,
  newCustomers,
  runBurst,
  runSteady,
  type ScenarioContext,
  type SteadyResult,
} from './scenarios';

const BURST = envCount('BENCH_BURST', 5000);
// Thirty seconds: a rate kept through several continue-as-new pauses of every shard. At 2,000/s a
// shard of four continued as new every 5–6 s (5–7 runs each in 30 s, from Temporal's visibility),
// so ten seconds held one or two of them.
const STEADY_SECONDS = envCount('BENCH_STEADY_SECONDS', 30);
const TIMEOUT_MS = envCount('BENCH_TIMEOUT_SECONDS', 120) * 1000;
const BURST_CONCURRENCY = 64;
const SCENARIO_NAMES = ['burst', 'steady100', 'steady1000', 'steady2000'] as const;
const SELECTED = selectedScenarios();
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR || undefined;
/** Runtime settings worth varying between runs; everything else is the runtime's default. */
const PRODUCT_ENV = Object.fromEntries(
  ['SHARD_COUNT', 'WORKER_MODE'].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
) as Record<string, string>;
/** Agents' capacity during the run: high enough that nobody is ever skipped as full. */
const UNLIMITED_CAPACITY = 1_000_000;
/**
 * Sustaining 2,000 conversations/s means keeping pace with them arriving at that rate: the open-loop
 * steady2000 scenario routes all of them and, when sending stops, is less than a second behind (a
 * backlog that grew through the run would show there). The burst's rate is the closed-loop view:
 * 64 senders keep a backlog from the first second, and a short burst counts its ramp and tail.
 */
const TARGETS = {
  conversationsPerSecond: 2000,
  behindAtEndMs: 1000,
  p99At100PerSecondMs: 300,
  p99At1000PerSecondMs: 1000,
};

async function main(cleanup: CleanupStack): Promise<number> {
  const started = performance.now();
  const progress = (message: string) =>
    console.error(`bench [${((performance.now() - started) / 1000).toFixed(1)} s] ${message}`);

  const loadAtStart = loadAverage();
  const referenceAtStart = referenceWorkMs();
  progress('starting the Temporal dev server and the runtime (separate processes)');
  const product = await startProduct(cleanup, { env: PRODUCT_ENV, cpuProfileDir: CPU_PROFILE_DIR });
  const { config, routedAgentIds } = product;
  product.sqlite.prepare(`UPDATE agents SET capacity = ?`).run(UNLIMITED_CAPACITY);
  const watcher = await AssignmentWatcher.open(product.url, routedAgentIds);
  cleanup.push(() => watcher.close());
  const context: ScenarioContext = {
    baseUrl: product.url,
    appSecret: BENCH_APP_SECRET,
    verifyToken: config.WHATSAPP_VERIFY_TOKEN,
    sqlite: product.sqlite,
    watcher,
    cpu: cpuSampler(product.runtimePid, product.temporalPid),
    timeoutMs: TIMEOUT_MS,
    timelineDir: process.env.BENCH_TIMELINE_DIR || undefined,
  };

  // The first webhooks start the shard workflows and load the graph; keep that out of the numbers.
  progress('warming up');
  const warmUp = await runBurst(context, newCustomers(0, 32), 8);
  if (warmUp.failed + warmUp.missing > 0) throw new Error(`warm-up failed: ${JSON.stringify(warmUp)}`);

  const runs: Record<(typeof SCENARIO_NAMES)[number], () => Promise<BurstResult | SteadyResult>> = {
    burst: () => runBurst(context, newCustomers(1, BURST), BURST_CONCURRENCY),
    steady100: () => runSteady(context, newCustomers(2, 100 * STEADY_SECONDS), 100),
    steady1000: () => runSteady(context, newCustomers(3, 1000 * STEADY_SECONDS), 1000),
    steady2000: () => runSteady(context, newCustomers(4, 2000 * STEADY_SECONDS), 2000),
  };
  const plan = SELECTED.map((name) => [name, runs[name]] as const);
  const scenarios: Record<string, BurstResult | SteadyResult | { skipped: string }> = {};
  let problems = 0;
  for (const [name, run] of plan) {
    // A backlog left by a timed-out scenario would be billed to the next one.
    if (problems > 0) {
      scenarios[name] = { skipped: 'an earlier scenario lost webhooks or assignments' };
      continue;
    }
    progress(`running ${name}`);
    const result = await run();
    scenarios[name] = result;
    problems += result.failed + result.missing + result.conversationsAssignedTwice;
    progress(`${name}: ${JSON.stringify(result)}`);
  }

  const p99At = (name: string) => {
    const result = scenarios[name];
    return result && 'endToEndMs' in result && result.missing === 0 ? result.endToEndMs.p99 : null;
  };
  const date = new Date();
  const machine = machineInfo();
  const report = {
    benchmark: 'routing',
    date: date.toISOString(),
    machine: { ...machine, referenceWorkMs: { atStart: referenceAtStart, atEnd: machine.referenceWorkMs } },
    temporal: `embedded dev server (CLI ${TEMPORAL_CLI_VERSION}, SQLite file, WAL)`,
    config: {
      shards: product.shardCount,
      workerMode: config.WORKER_MODE,
      burst: BURST,
      burstConcurrency: BURST_CONCURRENCY,
      steadySeconds: STEADY_SECONDS,
      scenarios: SELECTED,
      cpuProfiles: CPU_PROFILE_DIR !== undefined,
    },
    loadAverage: { start: loadAtStart, end: loadAverage() },
    notes: [
      `agent capacity raised to ${UNLIMITED_CAPACITY} before posting, so that the benchmark measures routing, not capacity exhaustion`,
      'processes: the runtime (src/main.ts, HTTP + dispatcher), its router worker and its analytics fold (children of it unless workerMode is inline; the fold at the lowest CPU priority), the Temporal dev server, and this load generator; every webhook opens a new conversation',
      'end to end = webhook send (burst) or its scheduled send time (steady, open loop) → assignment.created read from the agent socket; sendLagMs is how late the sender actually started',
      'sustained rate: steady2000 keeps pace when every conversation is routed and behindAtEndMs (last push − last scheduled send) stays under targets.behindAtEndMs; the burst rate is the closed-loop view',
      'cpuMsPerConversation: CPU time of each process from /proc between the first post and the last push, per conversation; comparable across runs when the machine is shared, unlike rates',
      'liveEventsPerConversation: rows journaled in live_events (one per recipient and socket message) from the first post to the last push, per conversation',
      'loadAverage: the machine is shared with other work; absolute rates are depressed when it is above the core count',
      'machine.referenceWorkMs: how long a fixed piece of CPU work took before the product started and after the scenarios (lower is quicker); compare runs only at similar values',
      `excluded: a warm-up of ${warmUp.webhooks} conversations that starts the shard workflows`,
    ],
    scenarios,
    targets: TARGETS,
    meets: {
      conversationsPerSecond: keptPace(scenarios.steady2000),
      p99At100PerSecond: (p99At('steady100') ?? Number.POSITIVE_INFINITY) <= TARGETS.p99At100PerSecondMs,
      p99At1000PerSecond: (p99At('steady1000') ?? Number.POSITIVE_INFINITY) <= TARGETS.p99At1000PerSecondMs,
    },
  };
  const json = JSON.stringify(report, null, 2);
  console.log(json);
  const file = await saveReport('routing', date, json);
  progress(`wrote ${file}`);
  return problems > 0 ? 1 : 0;
}

function keptPace(result: BurstResult | SteadyResult | { skipped: string } | undefined): boolean {
  if (!result || !('ratePerSecond' in result)) return false;
  return (
    result.ratePerSecond >= TARGETS.conversationsPerSecond &&
    result.failed + result.missing + result.conversationsAssignedTwice === 0 &&
    result.behindAtEndMs !== null &&
    result.behindAtEndMs <= TARGETS.behindAtEndMs
  );
}

function selectedScenarios(): Array<(typeof SCENARIO_NAMES)[number]> {
  const raw = process.env.BENCH_SCENARIOS;
  if (!raw) return [...SCENARIO_NAMES];
  const names = raw.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(SCENARIO_NAMES as readonly string[]).includes(name))
      throw new Error(`BENCH_SCENARIOS: unknown scenario "${name}" (known: ${SCENARIO_NAMES.join(', ')})`);
  }
  return names as Array<(typeof SCENARIO_NAMES)[number]>;
}

function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

await runBenchmark(main);
