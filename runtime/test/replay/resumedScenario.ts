import { type ConversationState, emptyConversationState, step } from '@switchboard/nodes';
import type { RoutedEvent, WorkflowGraph } from '@switchboard/shared';
import {
  acknowledged,
  agentReplied,
  conversationFacts,
  inboundMessage,
} from '../../../nodes/src/testing/builders';
import type { RouterShardInput } from '../../src/routing/routerWorkflow';
import { fakeRoutingActivities } from '../support/fakeRoutingActivities';
import { INTAKE, intakeGraph } from './intakeScenario';
import { advance, batch, flowGraph, type Scenario } from './scenarioScript';

const CALLBACK = 'v-callback';
const MINUTE = 60_000;

/** A customer asked to be called back: twenty minutes later the assignee is reminded. */
const callbackGraph = flowGraph(
  {
    start: { type: 'trigger.messageReceived' },
    hold: { type: 'flow.wait', config: { mode: 'duration', minutes: 20 } },
    remind: {
      type: 'action.notify',
      config: { to: { kind: 'assignee' }, title: 'Call {{contact.name}} back now' },
    },
  },
  [
    ['start', 'out', 'hold'],
    ['hold', 'out', 'remind'],
  ],
);

const facts = conversationFacts({ assigneeAgentId: 'agent_ana' });

/**
 * The state a shard hands to its next run when it continues as new, made by running the
 * interpreter the way the previous run did: one conversation half-way through a 20-minute wait,
 * one waiting for its acknowledgement, and three events accepted but not yet routed.
 */
async function continuedShard(now: number): Promise<RouterShardInput> {
  const holding = await settle(
    callbackGraph,
    { ...inboundMessage({ conversationId: 'conv-holding', workflowVersionId: CALLBACK, facts }), seq: 1 },
    now - 10 * MINUTE,
  );
  const waiting = await settle(
    intakeGraph,
    { ...inboundMessage({ conversationId: 'conv-waiting', workflowVersionId: INTAKE }), seq: 2 },
    now - 5 * MINUTE,
  );
  const pending: RoutedEvent[] = [
    { ...acknowledged({ conversationId: 'conv-waiting', workflowVersionId: INTAKE }), seq: 3 },
    { ...inboundMessage({ conversationId: 'conv-late', workflowVersionId: INTAKE }), seq: 4 },
    // The new run knows no graphs until an event of their version is routed, and a deadline
    // alone does not load one: without this event conv-holding's wait would fire into nothing.
    { ...inboundMessage({ conversationId: 'conv-second', workflowVersionId: CALLBACK, facts }), seq: 5 },
  ];
  return { shard: 0, highWaterMark: 5, conversations: [holding, waiting], pending, routed: 2 };
}

/** Runs one event through the interpreter, answering its effects the way the fake does, until it settles. */
export async function settle(
  graph: WorkflowGraph,
  event: RoutedEvent,
  now: number,
): Promise<ConversationState> {
  const { activities } = fakeRoutingActivities({});
  let { state, effects } = step(graph, emptyConversationState(event.conversationId), event, now);
  while (effects.length > 0) {
    const outcomes = await activities.applyEffects({ effects, records: [], executions: [] });
    effects = [];
    for (const outcome of outcomes) {
      if (!outcome.ok) throw new Error(`cannot settle ${event.conversationId} offline: ${outcome.error}`);
      const { key, conversationId, result } = outcome;
      const next = step(graph, state, { type: 'effect.completed', conversationId, key, result }, now);
      state = next.state;
      effects.push(...next.effects);
    }
  }
  return state;
}

export const resumedScenario: Scenario = {
  name: 'resumed',
  story:
    'a shard that continued as new rebuilds its deadlines from the carried conversations, routes the carried events first, then fires the half-elapsed wait',
  graphs: { [CALLBACK]: callbackGraph, [INTAKE]: intakeGraph },
  resumeFrom: continuedShard,
  script: [
    batch(agentReplied({ conversationId: 'conv-late', workflowVersionId: INTAKE })),
    advance(11), // conv-holding's carried deadline
    advance(10), // conv-second's own 20 minutes
  ],
};
