import { emptyConversationState, step } from '@switchboard/nodes';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, inboundMessage } from '../../../nodes/src/testing/builders';
import {
  compactShardSignal,
  moveAtSafePointSignal,
  type RouterShardInput,
  routedEventsSignal,
  type SafePointMove,
  shardStatusQuery,
} from '../../src/routing/routerWorkflow';
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

// v1 pauses 5 minutes before it waits for the acknowledgement; v2 has no pause, and its timeout tags.
const v1 = chain(
  { id: 'start', type: 'trigger.newConversation' },
  { id: 'pause', type: 'flow.wait', config: { mode: 'duration', minutes: 5 } },
  { id: 'assign', type: 'assign', config: { teamId: 'team_support' }, via: 'assigned' },
  { id: 'ack', type: 'flow.waitForAcknowledgement', config: { timeoutMinutes: 15 }, via: 'timeout' },
  { id: 'lead', type: 'assign', config: { strategy: 'team_lead', teamId: 'team_support' } },
);
const v2 = chain(
  { id: 'start', type: 'trigger.newConversation' },
  { id: 'assign', type: 'assign', config: { teamId: 'team_support' }, via: 'assigned' },
  { id: 'ack', type: 'flow.waitForAcknowledgement', config: { timeoutMinutes: 60 }, via: 'timeout' },
  { id: 'tag', type: 'action.tag', config: { tag: 'moved' } },
);

describe('moving executions at a safe point on skipped time', () => {
  it('an execution not at a safe point when v2 is announced moves when it gets to one, even in the next run', async () => {
    const fake = fakeRoutingActivities({ 'version-1': v1, 'version-2': v2 });
    await withRouterWorker(env, fake.activities, async (taskQueue) => {
      const shard = await startShard(env, taskQueue);
      await shard.signal(routedEventsSignal, [
        inboundMessage({ conversationId: 'conv-paused', workflowVersionId: 'version-1' }),
      ]);
      await expect
        .poll(() => shard.query(shardStatusQuery), { timeout: 30_000 })
        // The trace written: a signal that cancels its timer races it on the test server (see timeSkipping.test.ts).
        .toMatchObject({ routed: 1, liveConversations: 1, pendingDeadlines: 1, unwrittenSteps: 0 });

      // Waiting on `pause`, which v2 does not have: not a safe point, so it stays for now.
      await shard.signal(moveAtSafePointSignal, {
        workflowId: 'wf',
        to: { versionId: 'version-2', number: 2 },
        from: [{ versionId: 'version-1', number: 1 }],
      });
      const firstRun = (await shard.describe()).runId;
      await shard.signal(compactShardSignal);
      await expect.poll(async () => (await shard.describe()).runId, { timeout: 30_000 }).not.toBe(firstRun);
      const latest = env.client.workflow.getHandle(shard.workflowId);
      await expect
        .poll(() => latest.query(shardStatusQuery), { timeout: 30_000 })
        .toMatchObject({ liveConversations: 1, pendingDeadlines: 1 });
      expect(fake.records.map((record) => record.status)).not.toContain('moved');

      // The pause ends in the new run; the execution reaches `ack`, a safe point, and moves there.
      await env.sleep('6 minutes');
      await expect
        .poll(() => fake.records.find((record) => record.status === 'moved'), { timeout: 30_000 })
        .toMatchObject({
          nodeId: 'ack',
          output: 'moved from v1 to v2 at node ack',
          workflowVersionId: 'version-2',
        });
      // v1's 15-minute deadline holds (v2 would wait an hour), and v2's timeout edge is taken.
      await env.sleep('16 minutes');
      await expect
        .poll(() => latest.query(shardStatusQuery), { timeout: 30_000 })
        .toMatchObject({ liveConversations: 0 });
    });

    expect(fake.records.map((record) => `${record.nodeId}→${record.output ?? record.status}`)).toEqual([
      'start→out',
      'pause→waiting',
      'pause→out',
      'assign→waiting',
      'assign→assigned',
      'ack→waiting',
      'ack→moved from v1 to v2 at node ack',
      'ack→timeout',
      'tag→out',
    ]);
    expect(fake.effects.map((effect) => effect.type)).toEqual(['assign', 'tag']);
  });

  const moveToV2: SafePointMove = {
    workflowId: 'wf',
    to: { versionId: 'version-2', number: 2 },
    from: [{ versionId: 'version-1', number: 1 }],
  };

  it('a run handed moves by its previous run moves the executions already at a safe point as it starts', async () => {
    const records = await startWithConversationWaitingOnV1({ moves: [moveToV2] }, []);
    expect(records).toEqual(['ack→moved from v1 to v2 at node ack']);
  });

  it('a run reads the moves from the database as it starts: one its previous run never got still applies', async () => {
    const records = await startWithConversationWaitingOnV1({}, [moveToV2]);
    expect(records).toEqual(['ack→moved from v1 to v2 at node ack']);
  });
});

/** Starts a shard run carrying one conversation that waits for its acknowledgement on version-1. */
async function startWithConversationWaitingOnV1(
  carried: Pick<RouterShardInput, 'moves'>,
  inDatabase: SafePointMove[],
): Promise<string[]> {
  const direct = chain(
    { id: 'start', type: 'trigger.newConversation' },
    { id: 'ack', type: 'flow.waitForAcknowledgement', config: { timeoutMinutes: 15 }, via: 'timeout' },
    { id: 'lead', type: 'assign', config: { strategy: 'team_lead', teamId: 'team_support' } },
  );
  const waiting = step(
    direct,
    emptyConversationState('conv-carried'),
    inboundMessage({ conversationId: 'conv-carried', workflowVersionId: 'version-1' }),
    await env.currentTimeMs(),
  ).state;
  expect(waiting.execution?.wait?.nodeId).toBe('ack');
  const fake = fakeRoutingActivities(
    { 'version-1': direct, 'version-2': v2 },
    { safePointMoves: inDatabase },
  );
  const trail = () => fake.records.map((record) => `${record.nodeId}→${record.output}`);
  await withRouterWorker(env, fake.activities, async (taskQueue) => {
    await startShard(env, taskQueue, { highWaterMark: 1, conversations: [waiting], routed: 1, ...carried });
    await expect.poll(() => trail().length, { timeout: 30_000 }).toBeGreaterThan(0);
  });
  return trail();
}
