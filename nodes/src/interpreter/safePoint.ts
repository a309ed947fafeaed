import type { WorkflowGraph } from '@switchboard/shared';
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
