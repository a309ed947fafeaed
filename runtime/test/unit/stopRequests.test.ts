import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../src/db/database';
import { createExecutionQueries } from '../../src/executions/executionQueries';
import { createStopRequestStore, type StopRequestStore } from '../../src/executions/stopRequests';
import { createRoutingActivities } from '../../src/routing/activities';
import type { StopExecutionRequest } from '../../src/routing/routerWorkflow';
import type { ExecutionSnapshot, RoutingActivities } from '../../src/routing/routingActivities';
import { demoDatabase } from '../support/testDatabase';

let db: AppDatabase;
let store: StopRequestStore;
let shardActivities: RoutingActivities;
let versionId: string;

beforeEach(() => {
  const demo = demoDatabase();
  db = demo.db;
  versionId = demo.workflows.list()[0]?.publishedVersion?.id ?? '';
  store = createStopRequestStore(db);
  // The trace and execution rows are written by the real activity; no effect is carried out here.
  shardActivities = createRoutingActivities({
    db,
    applyEffects: async (_effects, _now, recordProgress) => {
      recordProgress();
      return [];
    },
  });
});
afterEach(() => db.$client.close());

/** The shard writes where an execution stands, as its `applyEffects` does after a step. */
async function shardWrites(executionId: string, status: ExecutionSnapshot['status'], at: number) {
  await shardActivities.applyEffects({
    effects: [],
    records: [],
    executions: [
      {
        executionId,
        conversationId: `conv-${executionId}`,
        workflowVersionId: versionId,
        status,
        startedAt: 1_000,
        updatedAt: at,
      },
    ],
  });
}

function request(executionId: string, mode: StopExecutionRequest['mode']): StopExecutionRequest {
  return { conversationId: `conv-${executionId}`, executionId, mode, requestedBy: 'admin@demo' };
}

describe('stop requests kept for the shard that must apply them', () => {
  it('a cancel is pending for its own shard alone, through further steps, until the shard writes the execution cancelled', async () => {
    await shardWrites('exec-1', 'waiting', 2_000);
    await shardWrites('exec-2', 'waiting', 2_000);
    store.record(3, request('exec-1', 'cancel'), 3_000);
    store.record(5, request('exec-2', 'terminate'), 3_000);

    expect(await shardActivities.loadStopRequests({ shard: 3 })).toEqual([request('exec-1', 'cancel')]);
    expect(await shardActivities.loadStopRequests({ shard: 5 })).toEqual([request('exec-2', 'terminate')]);
    expect(await shardActivities.loadStopRequests({ shard: 4 })).toEqual([]);

    // A step that leaves the execution waiting does not apply the request.
    await shardWrites('exec-1', 'waiting', 4_000);
    expect(await shardActivities.loadStopRequests({ shard: 3 })).toHaveLength(1);

    await shardWrites('exec-1', 'cancelled', 5_000);
    expect(await shardActivities.loadStopRequests({ shard: 3 })).toEqual([]);
    expect(await shardActivities.loadStopRequests({ shard: 5 })).toHaveLength(1);
  });

  it('a terminate the API marked at once stays pending until the shard itself writes the end', async () => {
    await shardWrites('exec-1', 'waiting', 2_000);
    store.record(0, request('exec-1', 'terminate'), 3_000);
    expect(await createExecutionQueries(db).markTerminated('exec-1', 3_000)).toBe(true);
    expect(await shardActivities.loadStopRequests({ shard: 0 })).toEqual([request('exec-1', 'terminate')]);

    // The shard's clock can be behind the API's: its row update is skipped, the request is still done.
    await shardWrites('exec-1', 'terminated', 2_500);
    expect(await shardActivities.loadStopRequests({ shard: 0 })).toEqual([]);
  });

  it('a request for an execution that finished in the shard before it was recorded is dropped', async () => {
    await shardWrites('exec-1', 'completed', 2_000);
    await shardWrites('exec-2', 'waiting', 2_000);
    store.record(0, request('exec-1', 'cancel'), 3_000);
    store.record(0, request('exec-2', 'cancel'), 3_001);
    expect(await shardActivities.loadStopRequests({ shard: 0 })).toEqual([request('exec-2', 'cancel')]);
    expect(db.$client.prepare(`SELECT execution_id FROM execution_stop_requests`).pluck().all()).toEqual([
      'exec-2',
    ]);
  });

  it('a terminate after a pending cancel of the same execution replaces it', async () => {
    await shardWrites('exec-1', 'waiting', 2_000);
    store.record(0, request('exec-1', 'cancel'), 3_000);
    store.record(0, { ...request('exec-1', 'terminate'), requestedBy: 'lead@demo' }, 4_000);
    expect(await shardActivities.loadStopRequests({ shard: 0 })).toEqual([
      { ...request('exec-1', 'terminate'), requestedBy: 'lead@demo' },
    ]);
  });

  it("several of a shard's requests come oldest first", async () => {
    for (const id of ['exec-a', 'exec-b', 'exec-c']) await shardWrites(id, 'waiting', 2_000);
    store.record(1, request('exec-b', 'cancel'), 3_000);
    store.record(1, request('exec-c', 'terminate'), 3_500);
    store.record(1, request('exec-a', 'cancel'), 4_000);
    const pending = await shardActivities.loadStopRequests({ shard: 1 });
    expect(pending.map((stop) => stop.executionId)).toEqual(['exec-b', 'exec-c', 'exec-a']);
  });
});
