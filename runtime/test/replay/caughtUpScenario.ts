import { inboundMessage } from '../../../nodes/src/testing/builders';
import type { RouterShardInput } from '../../src/routing/routerWorkflow';
import { packPage } from '../../src/routing/shardCheckpoint';
import { INTAKE, intakeGraph } from './intakeScenario';
import { settle } from './resumedScenario';
import { advance, batch, type ResumeStore, type Scenario } from './scenarioScript';

const MINUTE = 60_000;

/**
 * A shard that continued as new with a packed checkpoint (one conversation waiting for its
 * acknowledgement, one event accepted but not routed) while two more events reached the outbox
 * and no run's state: the new run reads the pages, then catches up from the outbox.
 */
async function continuedWithCheckpoint(now: number, store: ResumeStore): Promise<RouterShardInput> {
  const first = { ...inboundMessage({ conversationId: 'conv-carried', workflowVersionId: INTAKE }), seq: 1 };
  // Settled the way the previous run routed it: assigned, waiting for the acknowledgement.
  const waiting = await settle(intakeGraph, first, now - 5 * MINUTE);
  const pending = {
    ...inboundMessage({ conversationId: 'conv-pending', workflowVersionId: INTAKE }),
    seq: 2,
  };
  const lost = [3, 4].map((seq) => ({
    ...inboundMessage({ conversationId: `conv-from-outbox-${seq}`, workflowVersionId: INTAKE }),
    seq,
  }));
  store.outbox.push(first, pending, ...lost);
  await store.activities.saveCheckpointPage({
    runId: 'run-before',
    page: 0,
    content: packPage([waiting], [pending]),
  });
  return {
    shard: 0,
    highWaterMark: 2,
    conversations: [],
    pending: [],
    checkpoint: { runId: 'run-before', pages: 1 },
    routed: 1,
  };
}

export const caughtUpScenario: Scenario = {
  name: 'caughtUp',
  story:
    'a shard continued as new with a packed checkpoint; the new run reads its pages, routes the carried event, catches up two events from the outbox that neither run was given, then every unacknowledged conversation goes to the team lead',
  graphs: { [INTAKE]: intakeGraph },
  resumeFrom: continuedWithCheckpoint,
  script: [
    batch(inboundMessage({ conversationId: 'conv-signalled', workflowVersionId: INTAKE })),
    advance(20),
  ],
};
