import type { StepRecord } from '@switchboard/nodes';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeOrTeamLead, inboundMessage } from '../../../nodes/src/testing/builders';
import {
  compactShardSignal,
  routedEventsSignal,
  type StopExecutionRequest,
  shardStatusQuery,
  stopExecutionSignal,
} from '../../src/routing/routerWorkflow';
import { packPage } from '../../src/routing/shardCheckpoint';
import { settle } from '../replay/resumedScenario';
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

const ackOrLead = acknowledgeOrTeamLead();

describe('stop requests recorded before the shard is signalled', () => {
  it("a cancel whose signal no run kept still stops the execution in the shard's next run, and its deadline then does nothing", async () => {
    const fake = fakeRoutingActivities({ v1: ackOrLead });
    await withRouterWorker(env, fake.activities, async (taskQueue) => {
      const shard = await startShard(env, taskQueue);
      await shard.signal(routedEventsSignal, [
        inboundMessage({ conversationId: 'conv-stopped', workflowVersionId: 'v1' }),
        inboundMessage({ conversationId: 'conv-kept', workflowVersionId: 'v1' }),
      ]);
      await expect
        .poll(() => shard.query(shardStatusQuery), { timeout: 30_000 })
        // The trace written: a signal that cancels its timer races it on the test server (see timeSkipping.test.ts).
        .toMatchObject({ routed: 2, liveConversations: 2, pendingDeadlines: 2, unwrittenSteps: 0 });

      // The request is in the table, but its signal reached a run that was continuing as new (in
      // that run's history only) and so reached no state: here it is not sent at all.
      fake.stopRequests.push(cancelOf(fake.records, 'conv-stopped'));
      await shard.signal(compactShardSignal);
      await expect
        .poll(async () => (await shard.describe()).runId, { timeout: 30_000 })
        .not.toBe(shard.firstExecutionRunId);
      const latest = env.client.workflow.getHandle(shard.workflowId);
      await expect
        .poll(() => latest.query(shardStatusQuery), { timeout: 30_000 })
        .toMatchObject({ liveConversations: 1 });
      expect(fake.stopRequests).toEqual([]);

      // Both deadlines were carried; only the execution that is still running escalates.
      await env.sleep('16 minutes');
      await expect
        .poll(() => latest.query(shardStatusQuery), { timeout: 30_000 })
        .toMatchObject({ liveConversations: 0 });
    });

    expect(trailOf(fake.records, 'conv-stopped')).toEqual([
      'start→out',
      'assign:waiting',
      'assign→assigned',
      'ack:waiting',
      'ack:cancelled',
    ]);
    // The run had loaded no graph yet when it stopped the execution; the trace still names the node's type.
    expect(fake.records.find((record) => record.status === 'cancelled')).toMatchObject({
      cause: 'cancel by admin@demo',
      nodeType: 'flow.waitForAcknowledgement',
    });
    expect(trailOf(fake.records, 'conv-kept')).toContain('ack→timeout');
    const leads = fake.effects.filter(
      (effect) => effect.type === 'assign' && effect.strategy === 'team_lead',
    );
    expect(leads.map((effect) => effect.conversationId)).toEqual(['conv-kept']);
  });

  it('a terminate both recorded and signalled to the new run is applied once', async () => {
    const fake = fakeRoutingActivities({ v1: ackOrLead });
    // As the previous run left it: assigned, waiting for the acknowledgement.
    const waiting = await settle(
      ackOrLead,
      { ...inboundMessage({ conversationId: 'conv-carried', workflowVersionId: 'v1' }), seq: 1 },
      await env.currentTimeMs(),
    );
    expect(waiting.execution?.wait?.nodeId).toBe('ack');
    const executionId = waiting.execution?.executionId ?? '';
    const terminate: StopExecutionRequest = {
      conversationId: 'conv-carried',
      executionId,
      mode: 'terminate',
      requestedBy: 'admin@demo',
    };
    await fake.activities.saveCheckpointPage({
      runId: 'run-before',
      page: 0,
      content: packPage([waiting], []),
    });
    fake.stopRequests.push(terminate);

    await withRouterWorker(env, fake.activities, async (taskQueue) => {
      const shard = await startShard(env, taskQueue, {
        highWaterMark: 1,
        routed: 1,
        checkpoint: { runId: 'run-before', pages: 1 },
      });
      await shard.signal(stopExecutionSignal, terminate);
      await shard.signal(stopExecutionSignal, terminate);
      await expect
        .poll(() => shard.query(shardStatusQuery), { timeout: 30_000 })
        .toMatchObject({ liveConversations: 0, pendingDeadlines: 1 });
      // The stale deadline fires into nothing.
      await env.sleep('16 minutes');
      await expect
        .poll(() => shard.query(shardStatusQuery), { timeout: 30_000 })
        .toMatchObject({ pendingDeadlines: 0 });
    });

    expect(fake.records.map((record) => `${record.nodeType}:${record.status}`)).toEqual([
      'flow.waitForAcknowledgement:terminated',
    ]);
    expect(fake.effects).toEqual([]);
  });
});

function cancelOf(records: StepRecord[], conversationId: string): StopExecutionRequest {
  const executionId = records.find((record) => record.conversationId === conversationId)?.executionId;
  if (!executionId) throw new Error(`no execution of ${conversationId} was recorded`);
  return { conversationId, executionId, mode: 'cancel', requestedBy: 'admin@demo' };
}

function trailOf(records: StepRecord[], conversationId: string): string[] {
  return records
    .filter((record) => record.conversationId === conversationId)
    .map((record) =>
      record.output ? `${record.nodeId}→${record.output}` : `${record.nodeId}:${record.status}`,
    );
}
