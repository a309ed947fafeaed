import type { WorkflowGraph } from '@switchboard/shared';
import type { StepRecord } from './interpreterEvents';
import type { ConversationState } from './state';

export type SafePointVerdict = { move: true; nodeId: string } | { move: false; reason: string };

/**
 * Whether an execution may move to another version's graph right now. Only at rest: waiting on a
 * node (a wait, an acknowledgement, a timer) and not for an effect's result, and only when that
 * node exists in the new graph with the same type and type version, so its memory and deadline
 * still mean the same thing. Anything else stays on its version until done.
 */
export function safePointIn(state: ConversationState, graph: WorkflowGraph): SafePointVerdict {
  const execution = state.execution;
  if (execution?.status !== 'waiting') return { move: false, reason: 'not waiting' };
  if (execution.awaitingEffectKey !== null) return { move: false, reason: 'waiting for an effect result' };
  const waitingAt = execution.wait?.nodeId;
  if (!waitingAt) return { move: false, reason: 'not waiting on a node' };
  const node = graph.nodes.find((node) => node.id === waitingAt);
  if (!node) return { move: false, reason: `node "${waitingAt}" is not in the new version` };
  return { move: true, nodeId: waitingAt };
}

/** `safePointIn`, also comparing the node's type with the one the execution waits on now. */
export function safePointBetween(
  state: ConversationState,
  from: WorkflowGraph,
  to: WorkflowGraph,
): SafePointVerdict {
  const verdict = safePointIn(state, to);
  if (!verdict.move) return verdict;
  const old = from.nodes.find((node) => node.id === verdict.nodeId);
  const next = to.nodes.find((node) => node.id === verdict.nodeId);
  if (!old || !next || old.type !== next.type || old.typeVersion !== next.typeVersion)
    return { move: false, reason: `node "${verdict.nodeId}" has another type in the new version` };
  return verdict;
}

/** A published version as the router knows it: id, number (for the trace) and graph. */
export interface PublishedGraph {
  versionId: string;
  number: number;
  graph: WorkflowGraph;
}

export type ExecutionMove =
  | { moved: true; state: ConversationState; record: StepRecord }
  | { moved: false; reason: string };

/**
 * Moves an execution of `from` onto `to` if it is at a safe point. Only the version changes: the
 * cursor, wait (deadline and timer key), memory and visit counts go along, so the pending deadline
 * fires into the new graph's node of the same id and the effect keys stay the execution's own.
 */
export function moveAtSafePoint(
  state: ConversationState,
  from: PublishedGraph,
  to: PublishedGraph,
  now: number,
): ExecutionMove {
  const execution = state.execution;
  if (execution?.workflowVersionId !== from.versionId)
    return { moved: false, reason: `not an execution of v${from.number}` };
  const verdict = safePointBetween(state, from.graph, to.graph);
  if (!verdict.move) return { moved: false, reason: verdict.reason };
  const nodeType = to.graph.nodes.find((node) => node.id === verdict.nodeId)?.type ?? '?';
  return {
    moved: true,
    state: { ...state, execution: { ...execution, workflowVersionId: to.versionId } },
    record: {
      key: `${execution.executionId}:${verdict.nodeId}:moved:${to.versionId}`,
      executionId: execution.executionId,
      conversationId: state.conversationId,
      workflowVersionId: to.versionId,
      nodeId: verdict.nodeId,
      nodeType,
      status: 'moved',
      output: `moved from v${from.number} to v${to.number} at node ${verdict.nodeId}`,
      error: null,
      cause: `v${to.number} published: running executions move at their next safe point`,
      at: now,
    },
  };
}
