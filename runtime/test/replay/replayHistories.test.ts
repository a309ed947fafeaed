import { createRequire } from 'node:module';
import { nodeCatalog } from '@switchboard/nodes';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  RECORD_COMMAND,
  readCoverage,
  readStoredHistories,
  replayFailures,
  replayHistories,
  type StoredHistory,
} from './storedHistories';

/*
 * The determinism guard. A router shard lives for weeks; each worker deploy replays its history
 * against the new workflow code, and any difference in the commands it issues (an extra timer, one
 * local activity more or less) makes that shard stop routing. These stored histories stand in for
 * the shards running in production.
 */

const require = createRequire(import.meta.url);
const ROUTER_WORKFLOW = require.resolve('../../src/routing/routerWorkflow.ts');
const ALTERED_WORKFLOW = require.resolve('./alteredRouterWorkflow.ts');

let histories: StoredHistory[];

beforeAll(async () => {
  if (Runtime._instance === undefined) {
    Runtime.install({
      // At INFO the SDK prints the whole workflow bundle listing for each replay worker.
      logger: new DefaultLogger('WARN'),
      // Core also logs each nondeterminism it finds; the replay results carry the same message.
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    });
  }
  histories = await readStoredHistories();
});

describe('determinism guard', () => {
  it('every stored router shard history replays on the current workflow code', async () => {
    expect(histories.length, `no stored histories: run \`${RECORD_COMMAND}\``).toBeGreaterThan(0);
    const results = await replayHistories(ROUTER_WORKFLOW, histories);

    expect(
      replayFailures(results),
      'this change would break the router shards running now: keep their old behaviour behind patched() ' +
        'from @temporalio/workflow. Recording again cures nothing: these histories are what running shards did.',
    ).toEqual([]);
    expect(results.map((result) => result.workflowId)).toEqual(histories.map((stored) => stored.name));
  });

  it('the stored histories make every node type in the catalog act', async () => {
    const coverage = await readCoverage();
    const covered = new Set(Object.values(coverage.histories).flatMap((nodeTypes) => Object.keys(nodeTypes)));

    const missing = nodeCatalog.map((nodeType) => nodeType.type).filter((type) => !covered.has(type));
    expect(
      missing,
      `node types no stored history exercises: add them to a scenario in runtime/test/replay/scenarios.ts and run \`${RECORD_COMMAND}\``,
    ).toEqual([]);
    const stored = new Set(histories.map((history) => history.file));
    expect(Object.keys(coverage.histories).filter((file) => !stored.has(file))).toEqual([]);
  });

  it('a router shard with one extra timer before routing fails the replay as nondeterministic', async () => {
    const [first] = histories;
    if (!first) throw new Error(`no stored histories: run \`${RECORD_COMMAND}\``);

    const [result] = await replayHistories(ALTERED_WORKFLOW, [first]);

    expect(result?.error).toBeInstanceOf(DeterminismViolationError);
  });
});
