import { inboundMessage } from '../../../nodes/src/testing/builders';
import type { RouterShardInput, StopExecutionRequest } from '../../src/routing/routerWorkflow';
import { packPage } from '../../src/routing/shardCheckpoint';
import { settle } from './resumedScenario';
import { advance, batch, escalateToTeamLead, type ResumeStore, type Scenario } from './scenarioScript';

const ESCALATE = 'v-escalate-stopped';
const escalate = escalateToTeamLead();
const MINUTE = 60_000;

/**
 * A shard that continued as new with three conversations waiting for their acknowledgement, while
 * an admin cancelled one and terminated another: both requests are in the table, and neither
 * signal reached a run's state.
 */
async function continuedWhileStopped(now: number, store: ResumeStore): Promise<RouterShardInput> {
  const waiting = await Promise.all(
    ['conv-cancelled', 'conv-terminated', 'conv-kept'].map((conversationId, i) =>
      settle(
        escalate,
        { ...inboundMessage({ conversationId, workflowVersionId: ESCALATE }), seq: i + 1 },
        now - 5 * MINUTE,
      ),
    ),
  );
  const stop = (index: number, mode: StopExecutionRequest['mode']): StopExecutionRequest => {
    const state = waiting[index];
    const executionId = state?.execution?.executionId;
    if (!state || !executionId) throw new Error(`conversation ${index} has no execution to stop`);
    return { conversationId: state.conversationId, executionId, mode, requestedBy: 'admin@demo' };
  };
  store.stopRequests.push(stop(0, 'cancel'), stop(1, 'terminate'));
  await store.activities.saveCheckpointPage({ runId: 'run-before', page: 0, content: packPage(waiting, []) });
  return {
    shard: 0,
    highWaterMark: 3,
    conversations: [],
    pending: [],
    checkpoint: { runId: 'run-before', pages: 1 },
    routed: 3,
  };
}

export const stoppedScenario: Scenario = {
  name: 'stopped',
  story:
    'a shard continued as new while an admin cancelled one waiting conversation and terminated another; the ' +
    'new run reads both requests from the database and stops them before anything else, so when the ' +
    'acknowledgement deadlines pass only the conversation left running and a new one go to the team lead',
  graphs: { [ESCALATE]: escalate },
  resumeFrom: continuedWhileStopped,
  script: [batch(inboundMessage({ conversationId: 'conv-new', workflowVersionId: ESCALATE })), advance(16)],
};
