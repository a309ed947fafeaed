import type { WorkflowGraph } from '@switchboard/shared';
import { describeCause, type InterpreterEvent, type StepOutput } from './interpreterEvents';
import type { ConversationState } from './state';
import { step } from './step';

/**
 * `step`, but an exception inside the interpreter or a node (a bug) fails only this conversation's
 * execution, recorded with the error, instead of failing the router's workflow task over and over
 * and holding up every other conversation of the shard.
 */
export function stepSafely(
  graph: WorkflowGraph,
  state: ConversationState,
  event: InterpreterEvent,
  now: number,
): StepOutput {
  try {
    return step(graph, state, event, now);
  } catch (error) {
    const execution = state.execution;
    const executionId =
      execution?.executionId ?? `${state.conversationId}:${'seq' in event ? event.seq : 'unstarted'}`;
    const failed: ConversationState = {
      ...state,
      execution: execution ? { ...execution, status: 'failed', wait: null, awaitingEffectKey: null } : null,
    };
    return {
      state: failed,
      effects: [],
      timers: [],
      records: [
        {
          key: `${executionId}:interpreter-error:${describeCause(event)}`,
          executionId,
          conversationId: state.conversationId,
          workflowVersionId:
            execution?.workflowVersionId ??
            ('workflowVersionId' in event ? (event.workflowVersionId ?? '') : ''),
          nodeId: execution?.cursor ?? '?',
          nodeType: '?',
          status: 'failed',
          output: null,
          error: `interpreter error: ${error instanceof Error ? error.message : String(error)}`,
          cause: describeCause(event),
          at: now,
        },
      ],
    };
  }
}
