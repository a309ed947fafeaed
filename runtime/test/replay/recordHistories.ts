/*
 * Records the router shard histories that the determinism guard (replayHistories.test.ts) replays:
 *
 *   cd runtime && npx tsx test/replay/recordHistories.ts
 *
 * Each scenario runs on Temporal's time-skipping test server with fake activities, and its
 * shard's history is written to histories/<scenario>.json, with histories/coverage.json listing
 * the node types each history made act. Nothing is written unless every node type of the
 * catalog acted and no step failed.
 *
 * Record again after adding a node type or a scenario. Recording overwrites histories/<scenario>.json
 * only: other JSON files there (an older recording kept as, say, intake.v1.json, after a change
 * behind `patched()`) are left alone and still replayed. It refuses to run while a stored history
 * fails to replay, since a new recording would hide what running shards would suffer.
 *
 * `RECORD_ONLY=safePoint,…` records the named scenarios alone: a new scenario gets its history
 * without re-recording (and so replacing) the others, whose coverage is kept from coverage.json.
 */

import { spawnSync } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeCatalog, type StepRecord, validateGraph } from '@switchboard/nodes';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { type RouterShardInput, routerShard, routerWorkflowId } from '../../src/routing/routerWorkflow';
import { loadShardCheckpoint } from '../../src/routing/shardCheckpoint';
import { routerBundlerOptions, routerDataConverter } from '../../src/temporal/routerWorker';
import { fakeRoutingActivities } from '../support/fakeRoutingActivities';
import { createTimeSkippingEnv } from '../support/timeSkippingServer';
import { type Scenario, scenarios } from './scenarios';
import { ScriptedShard } from './scriptedShard';
import {
  COVERAGE_FILE,
  type Coverage,
  HISTORIES_DIR,
  type History,
  historyToJSON,
  readCoverage,
  readStoredHistories,
  replayFailures,
  replayHistories,
} from './storedHistories';

const require = createRequire(import.meta.url);
const ROUTER_WORKFLOW = require.resolve('../../src/routing/routerWorkflow.ts');

interface Recording {
  scenario: Scenario;
  history: History;
  records: StepRecord[];
}

async function main(): Promise<void> {
  const only = process.env.RECORD_ONLY?.split(',').filter(Boolean);
  const chosen = only ? scenarios.filter((scenario) => only.includes(scenario.name)) : scenarios;
  if (only && chosen.length !== only.length)
    throw new Error(`RECORD_ONLY names unknown scenarios; known: ${scenarios.map((s) => s.name).join(', ')}`);
  for (const scenario of chosen) checkGraphs(scenario);
  const env = await createTimeSkippingEnv();
  const recordings: Recording[] = [];
  try {
    await checkStoredHistoriesReplay();
    // One bundle for every scenario's worker: bundling is most of a worker's start-up.
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: ROUTER_WORKFLOW,
      ...routerBundlerOptions,
      payloadConverterPath: routerDataConverter.payloadConverterPath,
      logger: Runtime.instance().logger,
    });
    for (const scenario of chosen) {
      console.info(`recording ${scenario.name}: ${scenario.story}`);
      recordings.push(await record(env, workflowBundle, scenario));
    }
  } finally {
    await env.teardown();
  }
  const recorded = coverageOf(recordings);
  const coverage = only
    ? { histories: { ...(await readCoverage()).histories, ...recorded.histories } }
    : recorded;
  checkCoverage(coverage);
  await writeHistories(recordings, coverage);
}

/** Overwriting a history that no longer replays would hide the break the guard exists to show. */
async function checkStoredHistoriesReplay(): Promise<void> {
  const failures = replayFailures(await replayHistories(ROUTER_WORKFLOW, await readStoredHistories()));
  if (failures.length > 0) {
    throw new Error(
      `stored histories no longer replay on this code, so running shards would fail too:\n  ${failures.join('\n  ')}\n` +
        'Keep their old behaviour behind patched(); only if no shard runs the old code any more, delete the failing files and record again.',
    );
  }
}

/** A scenario graph the editor would refuse to publish proves nothing about real executions. */
function checkGraphs(scenario: Scenario): void {
  for (const [versionId, graph] of Object.entries(scenario.graphs)) {
    const errors = validateGraph(graph).problems.filter((problem) => problem.severity === 'error');
    if (errors.length > 0) {
      const lines = errors.map((problem) => `  ${problem.nodeId ?? ''} ${problem.message}`);
      throw new Error(`scenario ${scenario.name}, graph ${versionId} is invalid:\n${lines.join('\n')}`);
    }
  }
}

async function record(
  env: TestWorkflowEnvironment,
  workflowBundle: WorkflowBundleWithSourceMap,
  scenario: Scenario,
): Promise<Recording> {
  const fake = fakeRoutingActivities(scenario.graphs);
  const taskQueue = `replay-${scenario.name}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    dataConverter: routerDataConverter,
    activities: fake.activities,
  });
  const history = await worker.runUntil(async () => {
    const input: RouterShardInput = scenario.resumeFrom
      ? await scenario.resumeFrom(await env.currentTimeMs(), fake)
      : { shard: 0, highWaterMark: 0, conversations: [], pending: [], routed: 0 };
    const handle = await env.client.workflow.start(routerShard, {
      taskQueue,
      workflowId: routerWorkflowId(taskQueue, input.shard),
      args: [input],
    });
    // The new run routes what its checkpoint carried and what it caught up from the outbox first.
    const carried = input.checkpoint
      ? (await loadShardCheckpoint(fake.activities, input.checkpoint)).pending
      : input.pending;
    const caughtUp = fake.outbox.filter((event) => event.seq > input.highWaterMark);
    const shard = new ScriptedShard(env, handle, {
      ...input,
      highWaterMark: Math.max(input.highWaterMark, ...caughtUp.map((event) => event.seq)),
      pending: [...carried, ...caughtUp],
    });
    await shard.settled();
    for (const step of scenario.script) await shard.perform(step);
    const { liveConversations } = await shard.settled();
    if (liveConversations > 0) {
      throw new Error(
        `${scenario.name}: ${liveConversations} executions still running when the script ended; give them the events or time they wait for`,
      );
    }
    return handle.fetchHistory();
  });
  const failed = fake.records.filter((record) => record.status === 'failed');
  if (failed.length > 0) {
    const lines = failed.map((record) => `  ${record.conversationId} ${record.nodeId}: ${record.error}`);
    throw new Error(`${scenario.name}: steps failed, fix the scenario:\n${lines.join('\n')}`);
  }
  return { scenario, history, records: fake.records };
}

function coverageOf(recordings: Recording[]): Coverage {
  const histories: Coverage['histories'] = {};
  for (const { scenario, records } of recordings) {
    const outcomes = new Map<string, Set<string>>();
    for (const record of records) {
      const seen = outcomes.get(record.nodeType) ?? new Set();
      seen.add(record.output ?? record.status);
      outcomes.set(record.nodeType, seen);
    }
    histories[`${scenario.name}.json`] = Object.fromEntries(
      [...outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([type, seen]) => [type, [...seen].sort()]),
    );
  }
  return { histories };
}

function checkCoverage(coverage: Coverage): void {
  const acted = new Set(Object.values(coverage.histories).flatMap((types) => Object.keys(types)));
  const drawn = new Set(
    scenarios
      .flatMap((scenario) => Object.values(scenario.graphs).flatMap((graph) => graph.nodes))
      .map((node) => node.type),
  );
  const missing = nodeCatalog.map((nodeType) => nodeType.type).filter((type) => !acted.has(type));
  const undrawn = missing.filter((type) => !drawn.has(type));
  const idle = missing.filter((type) => drawn.has(type));
  const problems = [
    ...(undrawn.length > 0
      ? [`no scenario graph uses ${undrawn.join(', ')}: add them to a scenario in runtime/test/replay`]
      : []),
    ...(idle.length > 0
      ? [
          `${idle.join(', ')} appear in scenario graphs but never recorded a step: no scripted event reached ` +
            'them, or the router shard does not route such events to them',
        ]
      : []),
  ];
  if (problems.length > 0) {
    throw new Error(`not every node type acted, so nothing was written:\n  ${problems.join('\n  ')}`);
  }
}

async function writeHistories(recordings: Recording[], coverage: Coverage): Promise<void> {
  await mkdir(HISTORIES_DIR, { recursive: true });
  for (const { scenario, history } of recordings) {
    await writeFile(join(HISTORIES_DIR, `${scenario.name}.json`), `${historyToJSON(history)}\n`);
  }
  await writeFile(join(HISTORIES_DIR, COVERAGE_FILE), `${JSON.stringify(coverage, null, 2)}\n`);
  formatLikeTheRepository(HISTORIES_DIR);
  for (const { scenario, history } of recordings) {
    const { size } = await stat(join(HISTORIES_DIR, `${scenario.name}.json`));
    const types = Object.keys(coverage.histories[`${scenario.name}.json`] ?? {}).length;
    console.info(
      `histories/${scenario.name}.json: ${history.events?.length} events, ${Math.round(size / 1024)} KiB, ${types} node types`,
    );
  }
  console.info(`histories/${COVERAGE_FILE}: all ${nodeCatalog.length} node types of the catalog covered`);
}

/** `biome check` covers JSON too and writes short arrays on one line, which JSON.stringify does not. */
function formatLikeTheRepository(dir: string): void {
  const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
  const biome = spawnSync('npx', ['biome', 'format', '--write', dir], {
    cwd: repositoryRoot,
    stdio: 'inherit',
  });
  if (biome.status !== 0) throw new Error(`biome could not format ${dir}`);
}

await main();
