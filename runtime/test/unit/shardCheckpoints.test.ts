import { shardOf, waWebhookSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../src/db/database';
import { DEMO_BUSINESS_NUMBER_ID, seedDemoWorkspace } from '../../src/demo/seedDemo';
import { createRoutingActivities } from '../../src/routing/activities';
import type { RoutingActivities, SignalHold } from '../../src/routing/routingActivities';
import { inboundTextWebhook } from '../../src/whatsapp/inboundPayloads';
import { createWebhookIngest } from '../../src/whatsapp/ingest';
import { createWorkflowStore } from '../../src/workflows/workflowStore';
import { demoDatabase, fileDatabaseWithWorker, timerTurns } from '../support/testDatabase';

describe('shard checkpoints in SQLite', () => {
  it('a page saved before continue-as-new is read back whole by the next run; saving twice is harmless', async () => {
    const { db } = demoDatabase();
    const activities = createRoutingActivities({ db, applyEffects: async () => [] });
    const content = {
      conversations: [{ conversationId: 'c1', execution: null }],
      pending: [],
    };
    await activities.saveCheckpointPage({ runId: 'run-1', page: 0, content });
    await activities.saveCheckpointPage({ runId: 'run-1', page: 0, content });
    expect(await activities.loadCheckpointPage({ runId: 'run-1', page: 0 })).toEqual(content);
    await expect(activities.loadCheckpointPage({ runId: 'run-1', page: 1 })).rejects.toThrow(
      'shard checkpoint run-1 page 1 is missing',
    );
  });
});

describe('the writes of a continue-as-new while the runtime holds the write lock', () => {
  it('wait with the event loop free, then store the page, the hold and its release', async () => {
    const { db, worker, close } = fileDatabaseWithWorker('shard-writes');
    try {
      seedDemoWorkspace(db, createWorkflowStore(db), Date.now());
      const activities = createRoutingActivities({
        db,
        applyEffects: async () => [],
        holdAcknowledgementWaitMs: 0,
      });
      const holds = () => db.$client.prepare(`SELECT count(*) FROM shard_holds`).pluck().get();
      worker.exec('BEGIN IMMEDIATE');
      const content = { conversations: [], pending: [] };
      let done = false;
      const writes = (async () => {
        await activities.saveCheckpointPage({ runId: 'run-9', page: 0, content });
        await activities.holdSignals({ shard: 3, runId: 'run-9', forMs: 60_000 });
        done = true;
      })();
      // Timers keep firing meanwhile: nobody sleeps inside SQLite's busy handler.
      const turns = await timerTurns(20);
      expect([turns, done]).toEqual([20, false]);
      worker.exec('COMMIT');
      await writes;
      expect(await activities.loadCheckpointPage({ runId: 'run-9', page: 0 })).toEqual(content);
      expect(holds()).toBe(1);
      await activities.holdSignals({ shard: 3, runId: 'run-9', forMs: 0 });
      expect(holds()).toBe(0);
    } finally {
      close();
    }
  });
});

describe("a new shard run's catch-up read of the outbox", () => {
  it("returns the shard's stored events after a sequence, in order, as the dispatcher signals them", async () => {
    const { db } = demoDatabase();
    const shardCount = 4;
    const ingest = createWebhookIngest(db, shardCount);
    for (let i = 0; i < 40; i++) {
      const raw = JSON.stringify(
        inboundTextWebhook({
          phoneNumberId: DEMO_BUSINESS_NUMBER_ID,
          from: `5511900${i}`,
          text: `hello ${i}`,
          messageId: `wamid.catchup${i}`,
          timestamp: 1_764_000_000 + i,
        }),
      );
      ingest(raw, 'sig', waWebhookSchema.parse(JSON.parse(raw)), 1_764_000_000_000 + i);
    }
    const activities = createRoutingActivities({ db, applyEffects: async () => [] });
    const all = (
      await Promise.all(
        Array.from({ length: shardCount }, (_, shard) =>
          activities.loadEventsAfter({ shard, afterSeq: 0, limit: 1000 }),
        ),
      )
    ).flat();
    // Every stored event once, each in the shard its conversation hashes to.
    expect(all).toHaveLength(40);
    expect(new Set(all.map((event) => event.seq)).size).toBe(40);

    const shard = all[0]?.conversationId ? shardOf(all[0].conversationId, shardCount) : -1;
    const ofShard = await activities.loadEventsAfter({ shard, afterSeq: 0, limit: 1000 });
    expect(ofShard.every((event) => shardOf(event.conversationId, shardCount) === shard)).toBe(true);
    expect(ofShard.map((event) => event.type)).toEqual(ofShard.map(() => 'message.received'));
    const seqs = ofShard.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    // After a sequence and bounded: the next page starts where the last one ended.
    const cut = seqs[1] ?? 0;
    const page = await activities.loadEventsAfter({ shard, afterSeq: cut, limit: 2 });
    expect(page.map((event) => event.seq)).toEqual(seqs.filter((seq) => seq > cut).slice(0, 2));
  });
});

describe('holding a shard’s signals before continue-as-new', () => {
  const acknowledge = (db: AppDatabase, runId: string) =>
    db.$client.prepare(`UPDATE shard_holds SET acknowledged_at = ? WHERE run_id = ?`).run(Date.now(), runId);

  /** Starts a hold, checks it has not returned 100 ms on, and gives back whether it has since. */
  async function holdStillWaiting(activities: RoutingActivities, hold: SignalHold) {
    let returned = false;
    const holding = activities.holdSignals(hold).then(() => {
      returned = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(returned).toBe(false);
    return { holding, returned: () => returned };
  }

  it('returns once the dispatcher has acknowledged the hold, not before', async () => {
    const { db } = demoDatabase();
    const activities = createRoutingActivities({ db, applyEffects: async () => [] });
    const { holding, returned } = await holdStillWaiting(activities, {
      shard: 1,
      runId: 'run-1',
      forMs: 60_000,
    });
    acknowledge(db, 'run-1');
    await holding;
    expect(returned()).toBe(true);
  });

  it('a later hold of the same shard waits for its own acknowledgement, not the earlier run’s', async () => {
    const { db } = demoDatabase();
    const activities = createRoutingActivities({
      db,
      applyEffects: async () => [],
      holdAcknowledgementWaitMs: 60_000,
    });
    const first = activities.holdSignals({ shard: 2, runId: 'run-1', forMs: 60_000 });
    acknowledge(db, 'run-1');
    await first;
    const second = await holdStillWaiting(activities, { shard: 2, runId: 'run-2', forMs: 60_000 });
    acknowledge(db, 'run-2');
    await second.holding;
  });

  it('with no dispatcher to acknowledge it, goes ahead after the bound with the hold in place', async () => {
    const { db } = demoDatabase();
    const activities = createRoutingActivities({
      db,
      applyEffects: async () => [],
      holdAcknowledgementWaitMs: 150,
    });
    const startedAt = Date.now();
    await activities.holdSignals({ shard: 3, runId: 'run-1', forMs: 60_000 });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(140);
    const row = db.$client
      .prepare(`SELECT until, acknowledged_at FROM shard_holds WHERE shard = 3`)
      .get() as {
      until: number;
      acknowledged_at: number | null;
    };
    expect(row.until).toBeGreaterThan(Date.now());
    expect(row.acknowledged_at).toBeNull();
    // Lifting it does not wait.
    await activities.holdSignals({ shard: 3, runId: 'run-1', forMs: 0 });
    expect(db.$client.prepare(`SELECT count(*) FROM shard_holds`).pluck().get()).toBe(0);
  });
});
