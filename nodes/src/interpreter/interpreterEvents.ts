import type { Effect, RoutedEvent, StepEffectResult } from '@switchboard/shared';
import type { ConversationState } from './state';

/** Result of an effect, fed back to the execution that asked for it. */
export interface EffectCompletedEvent {
  type: 'effect.completed';
  conversationId: string;
  key: string;
  result: StepEffectResult;
}

/** The effect could not be carried out for a reason retrying will not cure; the execution fails. */
export interface EffectFailedEvent {
  type: 'effect.failed';
  conversationId: string;
  key: string;
  error: string;
}

/** A deadline set by a waiting node passed. */
export interface TimerFiredEvent {
  type: 'timer.fired';
  conversationId: string;
  key: string;
}

export type InterpreterEvent = RoutedEvent | EffectCompletedEvent | EffectFailedEvent | TimerFiredEvent;

/** One node visit, as recorded in the execution trace. */
export interface StepRecord {
  /** `${executionId}:${nodeId}:${visit}:${timers}:${status}:${output}`: lets a retried recorder store a step once. */
  key: string;
  executionId: string;
  conversationId: string;
  workflowVersionId: string;
  nodeId: string;
  nodeType: string;
  /**
   * Written by the router, not by `step`: `cancelled` / `terminated`, an admin stopped the execution;
   * `moved`, it went on in a newer version at a safe point.
   */
  status: 'passed' | 'waiting' | 'ended' | 'failed' | 'cancelled' | 'terminated' | 'moved';
  output: string | null;
  error: string | null;
  /** What made the node act: the routed event, the deadline, or the effect result it waited for. */
  cause: string;
  at: number;
}

export interface StepOutput {
  state: ConversationState;
  effects: Effect[];
  /** The deadline the conversation now waits on, if any (at most one per conversation). */
  timers: { conversationId: string; key: string; dueAt: number }[];
  records: StepRecord[];
}

/** How a trace names what made a node act. */
export function describeCause(event: InterpreterEvent): string {
  switch (event.type) {
    case 'effect.completed': {
      const result = event.result;
      const detail =
        result.type === 'assign'
          ? `assigned to ${result.agentId ?? 'nobody'}`
          : result.type === 'httpRequest'
            ? `HTTP ${result.status}`
            : result.type === 'sendWhatsApp'
              ? (result.waMessageId ?? `refused: ${result.refusedReason}`)
              : 'done';
      return `effect ${event.key}: ${detail}`;
    }
    case 'effect.failed':
      return `effect ${event.key} failed: ${event.error}`;
    case 'timer.fired':
      return `deadline ${event.key}`;
    default:
      return `${event.type} #${event.seq}`;
  }
}
