import type { EffectResult, WorkflowGraph } from '@switchboard/shared';
import type { InterpreterEvent, StepOutput } from '../interpreter/interpreterEvents';
import { type ConversationState, emptyConversationState, pendingTimer } from '../interpreter/state';
import { step } from '../interpreter/step';

/**
 * Drives one conversation through `step` the way a router shard would, but by hand: the test
 * decides when events arrive, what effects return and when deadlines pass.
 */
export class ConversationDriver {
  state: ConversationState;
  readonly outputs: StepOutput[] = [];
  now = 1_700_000_000_000;

  constructor(
    private readonly graph: WorkflowGraph,
    conversationId = 'conv-1',
  ) {
    this.state = emptyConversationState(conversationId);
  }

  send(event: InterpreterEvent): StepOutput {
    const out = step(this.graph, this.state, event, this.now);
    this.state = out.state;
    this.outputs.push(out);
    return out;
  }

  /** Answers the effect the execution is waiting for. */
  answer(result: EffectResult): StepOutput {
    const key = this.state.execution?.awaitingEffectKey;
    if (!key) throw new Error('nothing awaits an effect');
    return this.send({ type: 'effect.completed', conversationId: this.state.conversationId, key, result });
  }

  /** Moves the clock to the pending deadline and fires it. */
  fireTimer(): StepOutput {
    const timer = pendingTimer(this.state);
    if (!timer) throw new Error('no pending timer');
    this.now = timer.dueAt;
    return this.send({ type: 'timer.fired', conversationId: this.state.conversationId, key: timer.key });
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** Node ids and outputs of every record so far, e.g. `assign:waiting`, `assign→assigned`. */
  get trail(): string[] {
    return this.outputs.flatMap((out) =>
      out.records.map((r) => (r.output ? `${r.nodeId}→${r.output}` : `${r.nodeId}:${r.status}`)),
    );
  }

  get effects() {
    return this.outputs.flatMap((out) => out.effects);
  }
}

export function assignedTo(agentId: string | null): EffectResult {
  return {
    type: 'assign',
    assignmentId: `asg-${agentId}`,
    agentId,
    explanation: {
      strategy: 'round_robin',
      teamId: 'team_support',
      workflowVersionId: 'v1',
      nodeId: 'assign',
      path: [],
      candidates: [],
      chosenAgentId: agentId,
      summary: '',
    },
  };
}
