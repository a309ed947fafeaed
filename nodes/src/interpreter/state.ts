/**
 * Compact per-conversation state that a router shard keeps in memory and carries across
 * continue-as-new. Keep it small: thousands of conversations live in one workflow's state.
 */
export interface ExecutionState {
  executionId: string;
  workflowVersionId: string;
  startedAt: number;
  status: 'running' | 'waiting' | 'completed' | 'failed';
  /** Node the execution is paused at (waiting), or last ran. */
  cursor: string | null;
  /** Key of the effect whose result the paused node waits for. */
  awaitingEffectKey: string | null;
  /** Node ids visited, in order, capped at PATH_LIMIT. */
  path: string[];
  /** Times each node was entered in this execution; part of effect keys so revisits act again. */
  visits: Record<string, number>;
}

export interface ConversationState {
  conversationId: string;
  execution: ExecutionState | null;
}

export const PATH_LIMIT = 200;

export function emptyConversationState(conversationId: string): ConversationState {
  return { conversationId, execution: null };
}

/** Whether the conversation has an execution that still needs events; finished ones are forgotten. */
export function isLive(state: ConversationState): boolean {
  const status = state.execution?.status;
  return status === 'running' || status === 'waiting';
}
