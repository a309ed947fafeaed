import type { RoutedEvent } from '@switchboard/shared';
import type { NodeMemory } from '../nodeType';

/** A node that paused the execution until an event or its deadline. */
export interface WaitState {
  nodeId: string;
  /** Epoch ms of the deadline, or null to wait for an event only. */
  until: number | null;
  /** Identifies this deadline; a timer that fires with another key is stale and ignored. */
  timerKey: string | null;
}

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
  wait: WaitState | null;
  /** Node ids visited, in order, capped at PATH_LIMIT. */
  path: string[];
  /** Times each node was entered in this execution; part of effect keys so revisits act again. */
  visits: Record<string, number>;
  /** Timers set so far; numbers the next timer key. */
  timers: number;
  /** Effects asked for so far; numbers the next effect key. */
  effectsAsked: number;
  /** Scratch state of the node at the cursor (escalation stage, overflow tried…); reset on entry. */
  memory: NodeMemory;
  /** The last agent an assign effect of this execution chose; escalations reassign away from them. */
  assigneeId: string | null;
  /**
   * The event that started the execution, without its text (state stays small across thousands
   * of conversations); nodes reached after a wait or an effect read its facts.
   */
  trigger: RoutedEvent;
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

/** The pending deadline of a conversation, if its execution waits on one. */
export function pendingTimer(state: ConversationState): { key: string; dueAt: number } | null {
  const wait = state.execution?.status === 'waiting' ? state.execution.wait : null;
  return wait?.timerKey && wait.until !== null ? { key: wait.timerKey, dueAt: wait.until } : null;
}
