import {
  type ConversationState,
  emptyConversationState,
  type InterpreterEvent,
  pendingTimer,
  type StepRecord,
  step,
} from '@switchboard/nodes';
import type {
  AssignEffect,
  AssignResult,
  Effect,
  EffectResult,
  RoutedEvent,
  WorkflowGraph,
} from '@switchboard/shared';
import type { TrailStatus } from './flowModel';

/** The version id a dry run starts on: the draft has none, and the interpreter needs one to start. */
export const DRAFT_VERSION_ID = 'draft';

export type DryRunStep = {
  /** Position in the run: a node visited twice appears twice. */
  serial: number;
  nodeId: string;
  nodeType: string;
  status: StepRecord['status'];
  output: string | null;
  error: string | null;
  cause: string;
  at: number;
  /** What the node asked the runtime to do; listed, never carried out. */
  effects: Effect[];
  assignment: AssignResult | null;
};

export type DryRunResult = {
  steps: DryRunStep[];
  trail: { nodes: Map<string, TrailStatus>; edges: Set<string> };
  /** How the run stopped, in a sentence for the manager. */
  outcome: string;
};

export type DryRunOptions = {
  now: number;
  /**
   * Whether deadlines pass (nobody acknowledges, nobody answers), to follow timeout and escalation
   * branches; otherwise the run stops at the first wait.
   */
  letTimersExpire: boolean;
  /** Decides an assign effect without recording it (the runtime's read-only simulation). */
  simulateAssign: (effect: AssignEffect) => Promise<AssignResult>;
};

/** Bounds a dry run of a graph that would escalate for ever. */
const ROUND_LIMIT = 60;

function resultFor(effect: Effect): EffectResult {
  switch (effect.type) {
    case 'httpRequest':
      return { type: 'httpRequest', status: 200, ok: true };
    case 'sendWhatsApp':
      return { type: 'sendWhatsApp', waMessageId: 'dry-run', refusedReason: null };
    default:
      return { type: 'done' };
  }
}

/**
 * Runs the draft through the same pure `step` the router runs, answering the effects it waits for
 * with simulated results. Nothing is sent, assigned or stored: effects are only collected.
 */
export async function dryRun(
  graph: WorkflowGraph,
  event: RoutedEvent,
  options: DryRunOptions,
): Promise<DryRunResult> {
  let state: ConversationState = emptyConversationState(event.conversationId);
  let now = options.now;
  const steps: DryRunStep[] = [];
  const assignments = new Map<string, AssignResult>();
  let next: InterpreterEvent | null = { ...event, workflowVersionId: DRAFT_VERSION_ID };
  let outcome = 'No trigger of this draft matches the event, so nothing would run.';

  for (let round = 0; next && round < ROUND_LIMIT; round += 1) {
    const out = step(graph, state, next, now);
    state = out.state;
    for (const record of out.records) {
      steps.push({
        serial: steps.length,
        nodeId: record.nodeId,
        nodeType: record.nodeType,
        status: record.status,
        output: record.output,
        error: record.error,
        cause: record.cause,
        at: record.at,
        effects: out.effects.filter((e) => e.nodeId === record.nodeId),
        assignment: null,
      });
    }
    next = null;
    const execution = state.execution;
    if (!execution) break;
    if (execution.awaitingEffectKey) {
      const effect = out.effects.find((e) => e.key === execution.awaitingEffectKey);
      if (!effect) break;
      let result: EffectResult = resultFor(effect);
      if (effect.type === 'assign') {
        const assigned = await options.simulateAssign(effect);
        assignments.set(effect.nodeId, assigned);
        result = assigned;
        const last = [...steps].reverse().find((s) => s.nodeId === effect.nodeId);
        if (last) last.assignment = assigned;
      }
      next = { type: 'effect.completed', conversationId: state.conversationId, key: effect.key, result };
      continue;
    }
    const timer = pendingTimer(state);
    if (execution.status === 'waiting') {
      if (timer && options.letTimersExpire) {
        now = Math.max(now, timer.dueAt);
        next = { type: 'timer.fired', conversationId: state.conversationId, key: timer.key };
        continue;
      }
      outcome = timer
        ? `Waits at ${execution.cursor} until ${new Date(timer.dueAt).toISOString()} (or an event it listens for).`
        : `Waits at ${execution.cursor} for an event.`;
      break;
    }
    outcome =
      execution.status === 'failed'
        ? `Failed at ${execution.cursor}.`
        : `Completed after ${execution.path.length} node${execution.path.length === 1 ? '' : 's'}.`;
  }
  if (next)
    outcome = `Stopped after ${ROUND_LIMIT} rounds: the draft keeps going (an escalation that never ends?).`;
  return { steps, trail: trailOf(graph, steps), outcome };
}

/** Nodes coloured by how the run left them, and the edges it followed. */
export function trailOf(graph: WorkflowGraph, steps: readonly DryRunStep[]) {
  const nodes = new Map<string, TrailStatus>();
  const edges = new Set<string>();
  for (const s of steps) {
    // Only the router cancels, terminates or moves an execution, never a dry run; drawn as the
    // nearest thing if seen (a move leaves the execution waiting where it was).
    nodes.set(
      s.nodeId,
      s.status === 'cancelled' || s.status === 'terminated'
        ? 'ended'
        : s.status === 'moved'
          ? 'waiting'
          : s.status,
    );
    if (s.output) {
      const edge = graph.edges.find((e) => e.source === s.nodeId && e.sourceHandle === s.output);
      if (edge) edges.add(edge.id);
    }
  }
  return { nodes, edges };
}

/** A WhatsApp text as the router would see it, for managers who have no recorded message to try. */
export function sampleMessageEvent(input: {
  text: string;
  customerWaId: string;
  customerName: string;
  businessNumberId: string;
  now: number;
  isNewConversation: boolean;
  tags: string[];
}): RoutedEvent {
  return {
    type: 'message.received',
    seq: 1,
    conversationId: 'dry-run-conversation',
    businessNumberId: input.businessNumberId,
    customerWaId: input.customerWaId,
    workflowVersionId: DRAFT_VERSION_ID,
    occurredAt: input.now,
    facts: {
      tags: input.tags,
      priority: 'normal',
      openedAt: input.now,
      lastInboundAt: input.now,
      assigneeAgentId: null,
      teamId: null,
      contact: { name: input.customerName || null, language: null, fields: {} },
    },
    messageId: 'dry-run-message',
    messageType: 'text',
    text: input.text,
    isNewConversation: input.isNewConversation,
  };
}
