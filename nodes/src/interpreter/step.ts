import type { Effect, EffectRequest, EffectResult, RoutedEvent, WorkflowGraph } from '@switchboard/shared';
import { findNodeType } from '../catalog';
import type { NodeOutcome } from '../nodeType';
import { edgeKey, type GraphIndex, indexGraph } from './graphIndex';
import { type ConversationState, type ExecutionState, PATH_LIMIT } from './state';

/** Result of an effect, fed back to the execution that asked for it. */
export interface EffectCompletedEvent {
  type: 'effect.completed';
  conversationId: string;
  key: string;
  result: EffectResult;
}

/** The effect could not be carried out for a reason retrying will not cure; the execution fails. */
export interface EffectFailedEvent {
  type: 'effect.failed';
  conversationId: string;
  key: string;
  error: string;
}

export type InterpreterEvent = RoutedEvent | EffectCompletedEvent | EffectFailedEvent;

/** One node visit, as recorded in the execution trace. */
export interface StepRecord {
  executionId: string;
  conversationId: string;
  workflowVersionId: string;
  nodeId: string;
  nodeType: string;
  /** `${executionId}:${nodeId}:${visit}:${status}`: lets a retried recorder store a step once. */
  key: string;
  status: 'passed' | 'waiting' | 'ended' | 'failed';
  output: string | null;
  error: string | null;
  at: number;
}

export interface StepOutput {
  state: ConversationState;
  effects: Effect[];
  records: StepRecord[];
}

/** A graph without waits that loops would otherwise spin forever inside one workflow task. */
export const MAX_NODES_PER_STEP = 500;

/**
 * The interpreter: pure and deterministic. Given the graph the conversation is pinned to, its
 * state, one event and the time, it returns the new state, the effects to carry out and the trace.
 * No clock, no randomness, no I/O: the router workflow, the editor's dry run and shadow replay all
 * run exactly this.
 */
export function step(
  graph: WorkflowGraph,
  state: ConversationState,
  event: InterpreterEvent,
  now: number,
): StepOutput {
  const walk = new Walk(graph, cloneState(state), event, now);
  switch (event.type) {
    case 'effect.completed':
    case 'effect.failed':
      walk.resumeWith(event);
      break;
    default:
      walk.start(event);
  }
  return { state: walk.state, effects: walk.effects, records: walk.records };
}

class Walk {
  readonly effects: Effect[] = [];
  readonly records: StepRecord[] = [];
  private readonly index: GraphIndex;

  constructor(
    graph: WorkflowGraph,
    readonly state: ConversationState,
    private readonly event: InterpreterEvent,
    private readonly now: number,
  ) {
    this.index = indexGraph(graph);
  }

  start(event: RoutedEvent): void {
    const running = this.state.execution;
    // One execution per conversation at a time; events for a busy one are the waiting node's business.
    if (running && (running.status === 'running' || running.status === 'waiting')) return;
    if (!event.workflowVersionId) return;
    const trigger = this.index.triggers.find((node) => {
      const nodeType = findNodeType(node.type);
      if (nodeType?.category !== 'trigger') return false;
      const config = nodeType.configSchema.safeParse(node.config);
      return config.success && nodeType.matches(config.data, event);
    });
    if (!trigger) return;

    const execution: ExecutionState = {
      // The starting event's sequence makes the id unique for ever, even after the shard forgets
      // a finished conversation; effect keys build on it.
      executionId: `${this.state.conversationId}:${event.seq}`,
      startedAt: this.now,
      workflowVersionId: event.workflowVersionId,
      status: 'running',
      cursor: trigger.id,
      awaitingEffectKey: null,
      path: [],
      visits: {},
    };
    this.state.execution = execution;
    this.enter(execution, trigger.id);
    this.record(execution, trigger.id, trigger.type, 'passed', 'out');
    this.follow(execution, trigger.id, 'out');
  }

  resumeWith(event: EffectCompletedEvent | EffectFailedEvent): void {
    const execution = this.state.execution;
    // A result nobody waits for is a duplicate delivery (activity retried after it had answered).
    if (execution?.status !== 'waiting' || execution.awaitingEffectKey !== event.key) return;
    const nodeId = execution.cursor;
    const node = nodeId ? this.index.nodes.get(nodeId) : undefined;
    const nodeType = node ? findNodeType(node.type) : undefined;
    if (!node || !nodeType || nodeType.category === 'trigger' || !nodeType.resume) {
      this.fail(execution, nodeId ?? '?', node?.type ?? '?', 'the waiting node is not in the graph');
      return;
    }
    if (event.type === 'effect.failed') {
      this.fail(execution, node.id, node.type, event.error);
      return;
    }
    const config = nodeType.configSchema.safeParse(node.config);
    if (!config.success) {
      this.fail(execution, node.id, node.type, config.error.issues[0]?.message ?? 'invalid config');
      return;
    }
    execution.status = 'running';
    execution.awaitingEffectKey = null;
    const outcome = nodeType.resume(this.context(execution, node.id, config.data), event.result);
    const output = this.apply(execution, node.id, node.type, outcome);
    if (output !== null) this.follow(execution, node.id, output);
  }

  /** Walks from `fromNodeId`'s `output` until a node waits or ends; an unconnected output completes. */
  private follow(execution: ExecutionState, fromNodeId: string, output: string): void {
    let target = this.index.next.get(edgeKey(fromNodeId, output));
    let visited = 0;
    if (target === undefined) this.complete(execution);
    while (target !== undefined) {
      if (++visited > MAX_NODES_PER_STEP) {
        this.fail(execution, target, '?', `more than ${MAX_NODES_PER_STEP} nodes without a wait`);
        return;
      }
      const node = this.index.nodes.get(target);
      const nodeType = node ? findNodeType(node.type) : undefined;
      if (!node || !nodeType || nodeType.category === 'trigger') {
        this.fail(execution, target, node?.type ?? '?', 'edge leads to a missing or trigger node');
        return;
      }
      const config = nodeType.configSchema.safeParse(node.config);
      if (!config.success) {
        this.fail(execution, node.id, node.type, config.error.issues[0]?.message ?? 'invalid config');
        return;
      }
      this.enter(execution, node.id);
      const outcome = nodeType.run(this.context(execution, node.id, config.data));
      const output = this.apply(execution, node.id, node.type, outcome);
      target = output === null ? undefined : this.index.next.get(edgeKey(node.id, output));
      if (output !== null && target === undefined) this.complete(execution);
    }
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
        for (const request of outcome.effects ?? [])
          this.effects.push(this.effect(execution, nodeId, request));
        this.record(execution, nodeId, nodeType, 'passed', outcome.output);
        return outcome.output;
      }
      case 'await': {
        const effect = this.effect(execution, nodeId, outcome.effect);
        this.effects.push(effect);
        execution.status = 'waiting';
        execution.awaitingEffectKey = effect.key;
        this.record(execution, nodeId, nodeType, 'waiting', null);
        return null;
      }
      case 'end': {
        this.record(execution, nodeId, nodeType, 'ended', null);
        this.complete(execution);
        return null;
      }
    }
  }

  private effect(execution: ExecutionState, nodeId: string, request: EffectRequest): Effect {
    return {
      ...request,
      key: `${execution.executionId}:${nodeId}:${execution.visits[nodeId] ?? 1}`,
      conversationId: this.state.conversationId,
      executionId: execution.executionId,
      workflowVersionId: execution.workflowVersionId,
      nodeId,
    } as Effect;
  }

  private context<Config>(execution: ExecutionState, nodeId: string, config: Config) {
    return { nodeId, config, event: this.event as RoutedEvent, execution, now: this.now };
  }

  private enter(execution: ExecutionState, nodeId: string): void {
    execution.cursor = nodeId;
    execution.visits[nodeId] = (execution.visits[nodeId] ?? 0) + 1;
    if (execution.path.length < PATH_LIMIT) execution.path.push(nodeId);
  }

  private complete(execution: ExecutionState): void {
    execution.status = 'completed';
  }

  private fail(execution: ExecutionState, nodeId: string, nodeType: string, error: string): void {
    execution.status = 'failed';
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
      key: `${execution.executionId}:${nodeId}:${execution.visits[nodeId] ?? 0}:${status}`,
      executionId: execution.executionId,
      conversationId: this.state.conversationId,
      workflowVersionId: execution.workflowVersionId,
      nodeId,
      nodeType,
      status,
      output,
      error,
      at: this.now,
    });
  }
}

function cloneState(state: ConversationState): ConversationState {
  const execution = state.execution;
  return {
    ...state,
    execution: execution
      ? { ...execution, path: [...execution.path], visits: { ...execution.visits } }
      : null,
  };
}
