import type { Effect, EffectRequest, RoutedEvent, WorkflowGraph } from '@switchboard/shared';
import { findNodeType } from '../catalog';
import type { AnyNodeType, NodeOutcome, StepNodeType } from '../nodeType';
import { checkEffect } from './effectValidation';
import { edgeKey, type GraphIndex, indexGraph, parsedConfig } from './graphIndex';
import {
  describeCause,
  type EffectCompletedEvent,
  type EffectFailedEvent,
  type InterpreterEvent,
  type StepOutput,
  type StepRecord,
  type TimerFiredEvent,
} from './interpreterEvents';
import { type ConversationState, type ExecutionState, PATH_LIMIT, pendingTimer } from './state';
/** A graph without waits that loops would otherwise spin forever inside one workflow task. */
export const MAX_NODES_PER_STEP = 500;

/**
 * The interpreter: pure and deterministic. Given the graph the conversation is pinned to, its
 * state, one event and the time, it returns the new state, the effects to carry out, the deadline
 * to wait for and the trace. No clock, no randomness, no I/O: the router workflow, the editor's
 * dry run and shadow replay all run exactly this.
 */
export function step(
  graph: WorkflowGraph,
  state: ConversationState,
  event: InterpreterEvent,
  now: number,
): StepOutput {
  const walk = new Walk(graph, cloneState(state), now);
  walk.handle(event);
  const timer = pendingTimer(walk.state);
  const previous = pendingTimer(state);
  const timers =
    timer && timer.key !== previous?.key ? [{ conversationId: state.conversationId, ...timer }] : [];
  return { state: walk.state, effects: walk.effects, timers, records: walk.records };
}

class Walk {
  readonly effects: Effect[] = [];
  readonly records: StepRecord[] = [];
  private readonly index: GraphIndex;
  /** The routed event behind this step (for effect results and timers: the one that started the execution). */
  private event: RoutedEvent | null = null;
  private cause = '';
  /** The execution whose path and visit counts are this walk's own copies (see `cloneState`). */
  private ownLists: ExecutionState | null = null;

  constructor(
    graph: WorkflowGraph,
    readonly state: ConversationState,
    private readonly now: number,
  ) {
    this.index = indexGraph(graph);
  }

  handle(event: InterpreterEvent): void {
    this.cause = describeCause(event);
    const execution = this.state.execution;
    const live = execution && (execution.status === 'running' || execution.status === 'waiting');
    switch (event.type) {
      case 'effect.completed':
      case 'effect.failed':
        if (live) this.resumeWith(execution, event);
        return;
      case 'timer.fired':
        if (live) this.fireTimer(execution, event);
        return;
      default:
        if (live) this.deliver(execution, event);
        else this.start(event);
    }
  }

  private start(event: RoutedEvent): void {
    if (!event.workflowVersionId) return;
    if (event.type === 'manual.run' && event.startAtNodeId !== undefined) {
      const execution = this.newExecution(event, event.workflowVersionId, null);
      this.walk(execution, event.startAtNodeId);
      return;
    }
    const trigger = this.matchingTrigger(event);
    if (!trigger) return;

    const execution = this.newExecution(event, event.workflowVersionId, trigger.node.id);
    this.enter(execution, trigger.node.id);
    const delay = trigger.nodeType.delayMs?.(trigger.config);
    if (delay !== undefined) {
      this.apply(execution, trigger.node.id, trigger.node.type, { kind: 'wait', until: this.now + delay });
      return;
    }
    this.record(execution, trigger.node.id, trigger.node.type, 'passed', 'out');
    this.follow(execution, trigger.node.id, 'out');
  }

  private newExecution(event: RoutedEvent, workflowVersionId: string, cursor: string | null): ExecutionState {
    this.event = event;
    const execution: ExecutionState = {
      // The starting event's sequence makes the id unique for ever, even after the shard forgets
      // a finished conversation; effect keys build on it. A re-drive takes the original's.
      executionId: `${this.state.conversationId}:${event.redriveOf ?? event.seq}`,
      workflowVersionId,
      startedAt: this.now,
      status: 'running',
      cursor,
      awaitingEffectKey: null,
      wait: null,
      path: [],
      visits: {},
      timers: 0,
      effectsAsked: 0,
      memory: {},
      assigneeId: event.facts.assigneeAgentId,
      trigger: withoutText(event),
    };
    this.state.execution = execution;
    this.ownLists = execution;
    return execution;
  }

  /** The first trigger of the graph that this event starts, with its parsed config. */
  private matchingTrigger(event: RoutedEvent) {
    for (const node of this.index.triggers) {
      const nodeType = findNodeType(node.type);
      if (nodeType?.category !== 'trigger') continue;
      const config = parsedConfig(node, nodeType.configSchema);
      if (config.success && nodeType.matches(config.data, event, node.id))
        return { node, nodeType, config: config.data };
    }
    return null;
  }

  /** A delayed trigger the execution waits at: the deadline fires it, a cancelling event ends it quietly. */
  private waitingTrigger(execution: ExecutionState) {
    const node = execution.wait ? this.index.nodes.get(execution.wait.nodeId) : undefined;
    const nodeType = node ? findNodeType(node.type) : undefined;
    if (!node || nodeType?.category !== 'trigger') return null;
    const config = parsedConfig(node, nodeType.configSchema);
    return config.success ? { node, nodeType, config: config.data } : null;
  }

  /** A routed event for a conversation whose execution is still going: the waiting node decides. */
  private deliver(execution: ExecutionState, event: RoutedEvent): void {
    const wait = execution.wait;
    if (execution.status !== 'waiting' || !wait) return;
    const trigger = this.waitingTrigger(execution);
    if (trigger) {
      if (!trigger.nodeType.cancels?.(trigger.config, event)) return;
      this.event = event;
      this.continueFrom(execution, trigger.node.id, trigger.node.type, { kind: 'end' });
      return;
    }
    const resolved = this.resolve(execution, wait.nodeId);
    if (!resolved?.nodeType.onEvent) return;
    this.event = event;
    const outcome = resolved.nodeType.onEvent(this.context(execution, wait.nodeId, resolved.config), event);
    if (outcome) this.continueFrom(execution, resolved.nodeId, resolved.type, outcome);
  }

  private fireTimer(execution: ExecutionState, event: TimerFiredEvent): void {
    const wait = execution.wait;
    // A deadline the node already left (acknowledged in time, say) fires into nothing.
    if (execution.status !== 'waiting' || !wait || wait.timerKey !== event.key) return;
    if (this.waitingTrigger(execution)) {
      this.continueFrom(execution, wait.nodeId, this.index.nodes.get(wait.nodeId)?.type ?? '?', {
        kind: 'continue',
        output: 'out',
      });
      return;
    }
    const resolved = this.resolve(execution, wait.nodeId);
    if (!resolved) return;
    if (!resolved.nodeType.onTimer) {
      this.fail(execution, wait.nodeId, resolved.type, 'the node set a deadline but has no timer behaviour');
      return;
    }
    const outcome = resolved.nodeType.onTimer(this.context(execution, wait.nodeId, resolved.config));
    this.continueFrom(execution, resolved.nodeId, resolved.type, outcome);
  }

  private resumeWith(execution: ExecutionState, event: EffectCompletedEvent | EffectFailedEvent): void {
    // A result nobody waits for is a fire-and-forget effect, or a duplicate delivery.
    if (execution.status !== 'waiting' || execution.awaitingEffectKey !== event.key) return;
    const nodeId = execution.cursor ?? '?';
    const resolved = this.resolve(execution, nodeId);
    if (!resolved) return;
    if (event.type === 'effect.failed') {
      this.fail(execution, nodeId, resolved.type, event.error);
      return;
    }
    if (!resolved.nodeType.resume) {
      this.fail(execution, nodeId, resolved.type, 'the node awaited an effect but cannot take its result');
      return;
    }
    execution.awaitingEffectKey = null;
    if (event.result.type === 'assign' && event.result.agentId) execution.assigneeId = event.result.agentId;
    const outcome = resolved.nodeType.resume(this.context(execution, nodeId, resolved.config), event.result);
    this.continueFrom(execution, nodeId, resolved.type, outcome);
  }

  /** Applies an outcome of the node the execution stands on, then walks on from it. */
  private continueFrom(
    execution: ExecutionState,
    nodeId: string,
    nodeType: string,
    outcome: NodeOutcome,
  ): void {
    execution.status = 'running';
    execution.wait = null;
    const output = this.apply(execution, nodeId, nodeType, outcome);
    if (output !== null) this.follow(execution, nodeId, output);
  }

  /** Walks from `fromNodeId`'s `output` until a node waits or ends; an unconnected output completes. */
  private follow(execution: ExecutionState, fromNodeId: string, output: string): void {
    this.walk(execution, this.index.next.get(edgeKey(fromNodeId, output)));
  }

  /** Enters `first` and walks on until a node waits or ends; nothing to enter completes the execution. */
  private walk(execution: ExecutionState, first: string | undefined): void {
    let target = first;
    let visited = 0;
    if (target === undefined) this.complete(execution);
    while (target !== undefined) {
      if (++visited > MAX_NODES_PER_STEP) {
        this.fail(execution, target, '?', `more than ${MAX_NODES_PER_STEP} nodes without a wait`);
        return;
      }
      const resolved = this.resolve(execution, target);
      if (!resolved) return;
      this.enter(execution, resolved.nodeId);
      const outcome = resolved.nodeType.run(this.context(execution, resolved.nodeId, resolved.config));
      const next = this.apply(execution, resolved.nodeId, resolved.type, outcome);
      target = next === null ? undefined : this.index.next.get(edgeKey(resolved.nodeId, next));
      if (next !== null && target === undefined) this.complete(execution);
    }
  }

  /** The node, its type and its parsed config; fails the execution (and returns null) when any is wrong. */
  private resolve(execution: ExecutionState, nodeId: string) {
    const node = this.index.nodes.get(nodeId);
    const nodeType: AnyNodeType | undefined = node ? findNodeType(node.type) : undefined;
    if (!node || !nodeType || nodeType.category === 'trigger') {
      this.fail(
        execution,
        nodeId,
        node?.type ?? '?',
        node ? `unknown or trigger node type "${node.type}"` : 'edge leads to a missing node',
      );
      return null;
    }
    const config = parsedConfig(node, nodeType.configSchema);
    if (!config.success) {
      const issue = config.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      this.fail(execution, node.id, node.type, `${where}${issue?.message ?? 'invalid config'}`);
      return null;
    }
    return {
      nodeId: node.id,
      type: node.type,
      nodeType: nodeType as StepNodeType<unknown>,
      config: config.data,
    };
  }

  /** Applies a node's outcome; returns the output to leave through, or null when the walk stops here. */
  private apply(
    execution: ExecutionState,
    nodeId: string,
    nodeType: string,
    outcome: NodeOutcome,
  ): string | null {
    switch (outcome.kind) {
      case 'continue': {
        if (!this.ask(execution, nodeId, nodeType, outcome.effects)) return null;
        this.record(execution, nodeId, nodeType, 'passed', outcome.output);
        return outcome.output;
      }
      case 'await': {
        const effect = this.effect(execution, nodeId, nodeType, outcome.effect);
        if (!effect) return null;
        this.effects.push(effect);
        execution.status = 'waiting';
        execution.awaitingEffectKey = effect.key;
        if (outcome.memory) execution.memory = outcome.memory;
        this.record(execution, nodeId, nodeType, 'waiting', null);
        return null;
      }
      case 'wait': {
        if (!this.ask(execution, nodeId, nodeType, outcome.effects)) return null;
        execution.status = 'waiting';
        execution.timers += 1;
        execution.wait = {
          nodeId,
          until: outcome.until,
          timerKey: outcome.until === null ? null : `${execution.executionId}:${nodeId}:t${execution.timers}`,
        };
        if (outcome.memory) execution.memory = outcome.memory;
        this.record(execution, nodeId, nodeType, 'waiting', null);
        return null;
      }
      case 'end': {
        if (!this.ask(execution, nodeId, nodeType, outcome.effects)) return null;
        this.record(execution, nodeId, nodeType, 'ended', null);
        this.complete(execution);
        return null;
      }
    }
  }

  /** Queues fire-and-forget effects; false (and a failed execution) if one is malformed. */
  private ask(
    execution: ExecutionState,
    nodeId: string,
    nodeType: string,
    requests: EffectRequest[] = [],
  ): boolean {
    for (const request of requests) {
      const effect = this.effect(execution, nodeId, nodeType, request);
      if (!effect) return false;
      this.effects.push(effect);
    }
    return true;
  }

  private effect(
    execution: ExecutionState,
    nodeId: string,
    nodeType: string,
    request: EffectRequest,
  ): Effect | null {
    const visit = execution.visits[nodeId] ?? 1;
    execution.effectsAsked += 1;
    const parsed = checkEffect(request, {
      // Several effects of one visit (or of one waiting node's rungs) need distinct keys; the
      // execution's effect count is deterministic, so a replayed step makes the same keys.
      key: `${execution.executionId}:${nodeId}:${visit}:${execution.effectsAsked}`,
      conversationId: this.state.conversationId,
      executionId: execution.executionId,
      workflowVersionId: execution.workflowVersionId,
      nodeId,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.fail(
        execution,
        nodeId,
        nodeType,
        `invalid ${request.type} effect: ${issue?.path.join('.')} ${issue?.message}`,
      );
      return null;
    }
    return parsed.data;
  }

  private context<Config>(execution: ExecutionState, nodeId: string, config: Config) {
    return {
      nodeId,
      config,
      memory: execution.memory,
      event: this.event ?? execution.trigger,
      execution,
      now: this.now,
    };
  }

  private enter(execution: ExecutionState, nodeId: string): void {
    if (this.ownLists !== execution) {
      execution.path = [...execution.path];
      execution.visits = { ...execution.visits };
      this.ownLists = execution;
    }
    execution.cursor = nodeId;
    execution.memory = {};
    execution.visits[nodeId] = (execution.visits[nodeId] ?? 0) + 1;
    if (execution.path.length < PATH_LIMIT) execution.path.push(nodeId);
  }

  private complete(execution: ExecutionState): void {
    execution.status = 'completed';
    execution.wait = null;
  }

  private fail(execution: ExecutionState, nodeId: string, nodeType: string, error: string): void {
    execution.status = 'failed';
    execution.wait = null;
    this.record(execution, nodeId, nodeType, 'failed', null, error);
  }

  private record(
    execution: ExecutionState,
    nodeId: string,
    nodeType: string,
    status: StepRecord['status'],
    output: string | null,
    error: string | null = null,
  ): void {
    this.records.push({
      // The output is part of the key: a wait's "acknowledged" and a later "timeout" are two steps.
      key: `${execution.executionId}:${nodeId}:${execution.visits[nodeId] ?? 0}:${execution.timers}:${status}:${output ?? ''}`,
      executionId: execution.executionId,
      conversationId: this.state.conversationId,
      workflowVersionId: execution.workflowVersionId,
      nodeId,
      nodeType,
      status,
      output,
      error,
      cause: this.cause,
      at: this.now,
    });
  }
}

/**
 * A copy the walk may change without touching `state`. The wait and the memory are only ever
 * replaced whole, so the copy shares them; the path and the visit counts, which entering a node
 * changes in place, are copied when the walk first enters one (see `Walk.enter`): an effect's
 * result or a deadline often enters none.
 */
function cloneState(state: ConversationState): ConversationState {
  const execution = state.execution;
  return { ...state, execution: execution ? { ...execution } : null };
}

function withoutText(event: RoutedEvent): RoutedEvent {
  return event.type === 'message.received' ? { ...event, text: null } : event;
}
