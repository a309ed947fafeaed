import { inboundMessage } from '../../../nodes/src/testing/builders';
import { advance, announce, batch, escalateToTeamLead, flowGraph, type Scenario } from './scenarioScript';

const V1 = 'v-escalate';
const escalate = escalateToTeamLead();
const V2 = 'v-tag';

/** v2, published with `move_at_safe_point`: an hour's wait, then a tag instead of the team lead. */
const tag = flowGraph(
  {
    start: { type: 'trigger.newConversation' },
    assign: { type: 'assign', config: { teamId: 'team_support' } },
    ack: { type: 'flow.waitForAcknowledgement', config: { timeoutMinutes: 60 } },
    unanswered: { type: 'action.tag', config: { tag: 'unanswered' } },
  },
  [
    ['start', 'out', 'assign'],
    ['assign', 'assigned', 'ack'],
    ['ack', 'timeout', 'unanswered'],
  ],
);

export const safePointScenario: Scenario = {
  name: 'safePoint',
  story:
    'Maria waits for her acknowledgement on v1 when v2 is published to move running executions: she moves ' +
    'at once; Jo, whose message was queued before the publish, starts on v1 and moves when she reaches the ' +
    'wait. Both time out on the 15 minutes v1 set and are tagged as v2 says.',
  graphs: { [V1]: escalate, [V2]: tag },
  script: [
    batch(inboundMessage({ conversationId: 'conv-maria', workflowVersionId: V1 })),
    announce({
      workflowId: 'wf_support',
      to: { versionId: V2, number: 2 },
      from: [{ versionId: V1, number: 1 }],
    }),
    batch(inboundMessage({ conversationId: 'conv-jo', workflowVersionId: V1 })),
    advance(16),
  ],
};
