import type { StepRecord } from '@switchboard/nodes';
import type { Effect, EffectResult, WorkflowGraph } from '@switchboard/shared';
import type { EffectOutcome, RoutingActivities } from '../../src/routing/routingActivities';

/** Who the fake directory picks: the team lead for `team_lead`, Ana for everything else. */
export const AGENT = 'agent_ana';
export const TEAM_LEAD = 'agent_lead';

/**
 * The router shard's activities without SQLite: graphs come from a map, every assign succeeds, and
 * everything the shard asked for is kept, in order, for the test to read.
 */
export function fakeRoutingActivities(graphs: Record<string, WorkflowGraph>) {
  const effects: Effect[] = [];
  const records: StepRecord[] = [];
  const activities: RoutingActivities = {
    async loadGraphs(versionIds) {
      return Object.fromEntries(versionIds.flatMap((id) => (graphs[id] ? [[id, graphs[id]]] : [])));
    },
    async applyEffects(input) {
      effects.push(...input.effects);
      records.push(...input.records);
      return input.effects.map(
        (effect): EffectOutcome => ({
          key: effect.key,
          conversationId: effect.conversationId,
          ok: true,
          result: resultOf(effect),
        }),
      );
    },
  };
  return { activities, effects, records };
}

function resultOf(effect: Effect): EffectResult {
  if (effect.type !== 'assign') return { type: 'done' };
  const agentId = effect.strategy === 'team_lead' ? TEAM_LEAD : AGENT;
  return {
    type: 'assign',
    assignmentId: `asg-${effect.key}`,
    agentId,
    explanation: {
      strategy: effect.strategy,
      teamId: effect.teamId,
      workflowVersionId: effect.workflowVersionId,
      nodeId: effect.nodeId,
      path: effect.path,
      candidates: [],
      chosenAgentId: agentId,
      summary: `fake directory chose ${agentId}`,
    },
  };
}
