import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundMessage } from '../../../nodes/src/testing/builders';
import { compactShardSignal, routedEventsSignal, shardStatusQuery } from '../../src/routing/routerWorkflow';
import type { RoutingActivities } from '../../src/routing/routingActivities';
import { acknowledgeOrEscalate } from '../support/escalationGraph';
import { fakeRoutingActivities } from '../support/fakeRoutingActivities';
import { startShard, withRouterWorker } from '../support/routerShardWorker';
import { createTimeSkippingEnv } from '../support/timeSkippingServer';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
});

afterAll(async () => {
  await env?.teardown();
});

describe('a router shard holding thousands of live conversations', () => {
  it('continues as new by its own count, again and again, and every deadline fires exactly once', async () => {
    // The weight limit makes the shard continue as new about every 250 conversations, each new run
    // reading back every live one from packed pages, as activities spread over many tasks.
    const count = 2000;
    const fake = fakeRoutingActivities({ v1: acknowledgeOrEscalate(15) });
    // Runs that wrote a checkpoint, i.e. continued as new (the test server cannot list runs).
    const checkpointedRuns = new Set<string>();
    const activities: RoutingActivities = {
      ...fake.activities,
      async saveCheckpointPage(page) {
        checkpointedRuns.add(page.runId);
        return fake.activities.saveCheckpointPage(page);
      },
    };
    await withRouterWorker(env, activities, async (taskQueue) => {
      const first = await startShard(env, taskQueue, { runLimits: { weight: 800 } });
      const workflowId = first.workflowId;
      const events = Array.from({ length: count }, (_, i) =>
        inboundMessage({ conversationId: `conv-${i}`, workflowVersionId: 'v1' }),
      );
      for (let i = 0; i < count; i += 250) await first.signal(routedEventsSignal, events.slice(i, i + 250));
      const latest = env.client.workflow.getHandle(workflowId);
      await expect
        .poll(() => latest.query(shardStatusQuery), { timeout: 240_000, interval: 1000 })
        .toMatchObject({ routed: count, liveConversations: count, pendingDeadlines: count, queued: 0 });
      // One more, with every conversation live: the new run reads all of them back.
      const before = (await latest.describe()).runId;
      await latest.signal(compactShardSignal);
      await expect
        .poll(async () => (await latest.describe()).runId, { timeout: 120_000, interval: 1000 })
        .not.toBe(before);
      await expect
        .poll(() => latest.query(shardStatusQuery), { timeout: 240_000, interval: 1000 })
        .toMatchObject({ liveConversations: count, pendingDeadlines: count });

      await env.sleep('16 minutes');
      await expect
        .poll(() => latest.query(shardStatusQuery), { timeout: 240_000, interval: 1000 })
        .toMatchObject({ liveConversations: 0 });
    });
    // Continued as new by its own count (several times) and once on request.
    expect(checkpointedRuns.size).toBeGreaterThanOrEqual(5);

    const leads = fake.effects.filter((e) => e.type === 'assign' && e.strategy === 'team_lead');
    expect(leads).toHaveLength(count);
    expect(new Set(leads.map((e) => e.conversationId)).size).toBe(count);
    const firsts = fake.effects.filter((e) => e.type === 'assign' && e.strategy !== 'team_lead');
    expect(new Set(firsts.map((e) => e.conversationId)).size).toBe(count);
    expect(firsts).toHaveLength(count);
  }, 900_000);
});
