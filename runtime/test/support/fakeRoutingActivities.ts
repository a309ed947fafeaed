import type { StepRecord } from '@switchboard/nodes';
import type { Effect, RoutedEvent, StepEffectResult, WorkflowGraph } from '@switchboard/shared';
import type { StopExecutionRequest } from '../../src/routing/routerWorkflow';
import type { EffectOutcome, RoutingActivities, SignalHold } from '../../src/routing/routingActivities';
import type { SafePointMove } from '../../src/routing/safePointMoves';
import { memoryCheckpoints } from './memoryCheckpoints';

/** Who the fake directory picks: the team lead for `team_lead`, Ana for everything else. */
export const AGENT = 'agent_ana';
export const TEAM_LEAD = 'agent_lead';
/** A team with nobody on shift, so that assign takes its "no agent" and overflow paths. */
export const EMPTY_TEAM = 'team_nobody';

/**
 * The router shard's activities without SQLite, answering every effect type the way the real ones
 * do when all goes well: graphs come from a map, sends and HTTP calls succeed, assignments find an
 * agent (except in the empty team). Everything the shard asked for is kept, in order, so that the
 * recorder can tell which node types a history exercised.
 */
export function fakeRoutingActivities(
  graphs: Record<string, WorkflowGraph>,
  options: { checkpointDelayMs?: number; safePointMoves?: SafePointMove[] } = {},
) {
  const effects: Effect[] = [];
  const records: StepRecord[] = [];
  const checkpoints = memoryCheckpoints(options.checkpointDelayMs);
  /** What the runtime's outbox would hold: tests that signal a shard put their events here first. */
  const outbox: RoutedEvent[] = [];
  const holds: SignalHold[] = [];
  /** Per applyEffects call, how many effects and step records it carried. */
  const applyCalls: Array<{ effects: number; records: number }> = [];
  /** What the runtime's stop request table would hold: the API records each request before it signals. */
  const stopRequests: StopExecutionRequest[] = [];
  const activities: RoutingActivities = {
    async holdSignals(hold) {
      holds.push(hold);
    },
    saveCheckpointPage: checkpoints.saveCheckpointPage,
    loadCheckpointPage: checkpoints.loadCheckpointPage,
    async loadEventsAfter({ afterSeq, limit }) {
      // Every test here routes through shard 0 alone.
      return outbox.filter((event) => event.seq > afterSeq).slice(0, limit);
    },
    async loadSafePointMoves() {
      return options.safePointMoves ?? [];
    },
    async loadStopRequests() {
      return [...stopRequests];
    },
    async loadGraphs(versionIds) {
      return Object.fromEntries(versionIds.flatMap((id) => (graphs[id] ? [[id, graphs[id]]] : [])));
    },
    async applyEffects(input) {
      applyCalls.push({ effects: input.effects.length, records: input.records.length });
      effects.push(...input.effects);
      records.push(...input.records);
      // As the runtime does: a request is done once the shard writes the execution's end.
      for (const execution of input.executions) {
        if (execution.status === 'running' || execution.status === 'waiting') continue;
        const index = stopRequests.findIndex((request) => request.executionId === execution.executionId);
        if (index >= 0) stopRequests.splice(index, 1);
      }
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
  return {
    activities,
    outbox,
    stopRequests,
    effects,
    records,
    applyCalls,
    /** Every hold asked for and lifted, in order. */
    holds,
    /** Checkpoint pages written by shards that continued as new. */
    get checkpointPages() {
      return checkpoints.pages.size;
    },
  };
}

function resultOf(effect: Effect): StepEffectResult {
  switch (effect.type) {
    case 'assign':
      return assignResult(effect);
    case 'httpRequest':
      return { type: 'httpRequest', status: 200, ok: true };
    case 'sendWhatsApp':
      return { type: 'sendWhatsApp', waMessageId: 'wamid.fake', refusedReason: null };
    default:
      return { type: 'done' };
  }
}

/** As the real executor answers a shard: the explanation stays with the (here imaginary) assignment row. */
function assignResult(effect: Extract<Effect, { type: 'assign' }>): StepEffectResult {
  const agentId =
    effect.teamId === EMPTY_TEAM
      ? null
      : effect.strategy === 'specific_agent'
        ? effect.agentId
        : effect.strategy === 'team_lead'
          ? TEAM_LEAD
          : AGENT;
  return { type: 'assign', assignmentId: `asg-${effect.key}`, agentId };
}
