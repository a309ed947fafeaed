import {
  type ConversationState,
  emptyConversationState,
  type InterpreterEvent,
  isLive,
  pendingTimer,
  step,
} from '@switchboard/nodes';
import type {
  ConversationOutcome,
  Effect,
  RoutedEvent,
  StepEffectResult,
  WorkflowGraph,
} from '@switchboard/shared';
import { AssignmentError } from '../assignment/assignmentError';
import { DeadlineQueue } from '../routing/deadlineQueue';
import type { ReconstructedWorld } from './reconstructedWorld';

/** Looks up the graph a version id stands for; null when there is none (the event is not routed). */
export type GraphResolver = (versionId: string) => WorkflowGraph | null;

/**
 * One dry-run pass over recorded events: the pure interpreter `step`, with every effect replaced by
 * a recorder. Assignments are decided by the real strategies against the reconstructed world;
 * deadlines fire in time order between events, as the shard's deadline queue would fire them.
 */
export class ShadowPass {
  readonly outcomes = new Map<string, ConversationOutcome>();
  private readonly states = new Map<string, ConversationState>();
  private readonly deadlines = new DeadlineQueue();
  /** Node type by version and node id, to recognise escalation effects. */
  private readonly nodeTypes = new Map<string, Map<string, string>>();
  events = 0;

  constructor(
    private readonly graphOf: GraphResolver,
    private readonly world: ReconstructedWorld,
    /** Rewrites the version an event starts executions on (the target of a shadow replay). */
    private readonly versionFor: (event: RoutedEvent) => string | null = (event) => event.workflowVersionId,
  ) {}

  /** One recorded event, at the time it was recorded; earlier deadlines fire first. */
  feed(event: RoutedEvent, at: number): void {
    this.fireDeadlinesUntil(at);
    this.events += 1;
    const outcome = this.outcomeOf(event.conversationId, event);
    if (event.type === 'conversation.tagChanged') applyTag(outcome, event.tag, event.change === 'added');
    this.run({ ...event, workflowVersionId: this.versionFor(event) }, at);
  }

  /** A person closed the conversation at that time (load drops for whoever owns it then). */
  closedAt(conversationId: string, at: number): void {
    this.fireDeadlinesUntil(at);
    this.world.close(conversationId);
  }

  /** Fires every deadline due up to the end of the range. */
  finish(until: number): void {
    this.fireDeadlinesUntil(until);
  }

  loadByAgent(): Record<string, number> {
    return this.world.loadByAgent();
  }

  private fireDeadlinesUntil(at: number): void {
    for (;;) {
      const next = this.deadlines.peek();
      if (!next || next.dueAt > at) return;
      this.deadlines.popDue(next.dueAt);
      const state = this.states.get(next.conversationId);
      // Stale: the node moved on before its deadline.
      if (!state || pendingTimer(state)?.key !== next.key) continue;
      this.run({ type: 'timer.fired', conversationId: next.conversationId, key: next.key }, next.dueAt);
    }
  }

  private run(first: InterpreterEvent, now: number): void {
    const pending: InterpreterEvent[] = [first];
    for (let event = pending.shift(); event; event = pending.shift()) {
      const state = this.states.get(event.conversationId) ?? emptyConversationState(event.conversationId);
      const versionId =
        state.execution && isLive(state) ? state.execution.workflowVersionId : versionOf(event);
      const graph = versionId ? this.graphOf(versionId) : null;
      if (!graph || !versionId) continue;
      const out = step(graph, state, event, now);
      if (isLive(out.state)) this.states.set(event.conversationId, out.state);
      else this.states.delete(event.conversationId);
      for (const timer of out.timers) this.deadlines.push(timer);
      const outcome = this.outcomeOf(event.conversationId);
      for (const record of out.records) {
        if (record.nodeType === 'flow.slaTimer' && record.output === 'breached') outcome.slaBreaches += 1;
      }
      for (const effect of out.effects) {
        outcome.effects[effect.type] = (outcome.effects[effect.type] ?? 0) + 1;
        if (this.nodeType(versionId, graph, effect.nodeId) === 'flow.escalationLadder')
          outcome.escalations += 1;
        pending.push(this.record(effect, outcome, now));
      }
    }
  }

  /** Stands in for the effect executor: decides assignments, records the rest, acts on nothing. */
  private record(effect: Effect, outcome: ConversationOutcome, now: number): InterpreterEvent {
    switch (effect.type) {
      case 'assign': {
        try {
          const decision = this.world.assign(effect, now);
          outcome.assignments += 1;
          if (decision.agentId) {
            outcome.assigneeId = decision.agentId;
            if (effect.teamId !== null) outcome.teamId = effect.teamId;
          }
          return completed(effect, {
            type: 'assign',
            assignmentId: `shadow:${effect.key}`,
            agentId: decision.agentId,
          });
        } catch (error) {
          if (!(error instanceof AssignmentError)) throw error;
          return {
            type: 'effect.failed',
            conversationId: effect.conversationId,
            key: effect.key,
            error: error.message,
          };
        }
      }
      case 'tag':
        applyTag(outcome, effect.tag, effect.change === 'add');
        return completed(effect, { type: 'done' });
      case 'setPriority':
        outcome.priority = effect.priority;
        return completed(effect, { type: 'done' });
      case 'setStatus':
        if (effect.status === 'closed') this.world.close(effect.conversationId);
        else this.world.reopen(effect.conversationId);
        return completed(effect, { type: 'done' });
      case 'sendWhatsApp':
        return completed(effect, {
          type: 'sendWhatsApp',
          waMessageId: `shadow:${effect.key}`,
          refusedReason: null,
        });
      case 'httpRequest':
        // Assumed to succeed: a replay never calls out, so it cannot know the answer.
        return completed(effect, { type: 'httpRequest', status: 200, ok: true });
      case 'note':
      case 'notify':
      case 'startWorkflow':
        return completed(effect, { type: 'done' });
    }
  }

  private outcomeOf(conversationId: string, seenFirstIn?: RoutedEvent): ConversationOutcome {
    let outcome = this.outcomes.get(conversationId);
    if (!outcome) {
      outcome = {
        assigneeId: seenFirstIn?.facts.assigneeAgentId ?? null,
        teamId: seenFirstIn?.facts.teamId ?? null,
        tags: [...(seenFirstIn?.facts.tags ?? [])],
        priority: seenFirstIn?.facts.priority ?? 'normal',
        assignments: 0,
        escalations: 0,
        slaBreaches: 0,
        effects: {},
      };
      this.outcomes.set(conversationId, outcome);
    }
    return outcome;
  }

  private nodeType(versionId: string, graph: WorkflowGraph, nodeId: string): string | undefined {
    let types = this.nodeTypes.get(versionId);
    if (!types) {
      types = new Map(graph.nodes.map((node) => [node.id, node.type]));
      this.nodeTypes.set(versionId, types);
    }
    return types.get(nodeId);
  }
}

function completed(effect: Effect, result: StepEffectResult): InterpreterEvent {
  return { type: 'effect.completed', conversationId: effect.conversationId, key: effect.key, result };
}

function versionOf(event: InterpreterEvent): string | null {
  return 'workflowVersionId' in event ? event.workflowVersionId : null;
}

function applyTag(outcome: ConversationOutcome, tag: string, add: boolean): void {
  const has = outcome.tags.includes(tag);
  if (add && !has) outcome.tags.push(tag);
  if (!add && has) outcome.tags = outcome.tags.filter((t) => t !== tag);
}
