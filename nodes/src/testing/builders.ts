import type {
  AgentRepliedEvent,
  ConversationAcknowledgedEvent,
  ConversationFacts,
  DeliveryFailedEvent,
  ManualRunEvent,
  MessageReceivedEvent,
  ScheduleFiredEvent,
  SlaAlertEvent,
  TagChangedEvent,
  WorkflowGraph,
} from '@switchboard/shared';

/** trigger → assign round-robin in `teamId`: the shape of the demo's published workflow. */
export function newConversationToAssign(
  teamId = 'team_support',
  trigger = 'trigger.newConversation',
): WorkflowGraph {
  return {
    nodes: [
      { id: 'start', type: trigger, typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
      { id: 'assign', type: 'assign', typeVersion: 1, position: { x: 0, y: 100 }, config: { teamId } },
    ],
    edges: [{ id: 'e1', source: 'start', sourceHandle: 'out', target: 'assign' }],
  };
}

/** trigger → one assign node with `config`; its outputs lead nowhere, so the trail shows which was taken. */
export function assignOnNewConversation(config: Record<string, unknown>): WorkflowGraph {
  return chain({ id: 'start', type: 'trigger.newConversation' }, { id: 'assign', type: 'assign', config });
}

/** Assigned round-robin in `teamId`; unacknowledged after 15 minutes, the team lead gets it. */
export function acknowledgeOrTeamLead(teamId = 'team_support'): WorkflowGraph {
  return chain(
    { id: 'start', type: 'trigger.newConversation' },
    { id: 'assign', type: 'assign', config: { teamId }, via: 'assigned' },
    { id: 'ack', type: 'flow.waitForAcknowledgement', config: { timeoutMinutes: 15 }, via: 'timeout' },
    { id: 'lead', type: 'assign', config: { strategy: 'team_lead', teamId } },
  );
}

/** Assigned round-robin in `teamId`, then an escalation ladder with these rungs until acknowledged. */
export function assignThenEscalate(
  steps: Array<{ afterMinutes: number; action: string }>,
  teamId = 'team_support',
): WorkflowGraph {
  return chain(
    { id: 'start', type: 'trigger.newConversation' },
    { id: 'assign', type: 'assign', config: { teamId }, via: 'assigned' },
    { id: 'escalate', type: 'flow.escalationLadder', config: { teamId, steps } },
  );
}

let seq = 0;

export function conversationFacts(overrides: Partial<ConversationFacts> = {}): ConversationFacts {
  return {
    tags: [],
    priority: 'normal',
    openedAt: 1_700_000_000_000,
    lastInboundAt: 1_700_000_000_000,
    assigneeAgentId: null,
    teamId: null,
    contact: { name: 'Maria', language: 'pt-BR', fields: {} },
    ...overrides,
  };
}

export function inboundMessage(overrides: Partial<MessageReceivedEvent> = {}): MessageReceivedEvent {
  seq += 1;
  return {
    type: 'message.received',
    seq,
    conversationId: 'conv-1',
    businessNumberId: '100000000000001',
    customerWaId: '5511999990000',
    workflowVersionId: 'v1',
    occurredAt: 1_700_000_000_000,
    messageId: `wamid.${seq}`,
    messageType: 'text',
    text: 'hello',
    isNewConversation: true,
    facts: conversationFacts(),
    ...overrides,
  };
}

export interface ChainLink {
  id: string;
  type: string;
  config?: Record<string, unknown>;
  /** Output of this node that leads to the next link (default `out`). */
  via?: string;
}

/** A linear graph: each link's `via` output leads to the next link. */
export function chain(...links: ChainLink[]): WorkflowGraph {
  return {
    nodes: links.map((link, i) => ({
      id: link.id,
      type: link.type,
      typeVersion: 1,
      position: { x: 0, y: i * 120 },
      config: link.config ?? {},
    })),
    edges: links.slice(1).map((link, i) => ({
      id: `e${i}`,
      source: links[i]?.id ?? '',
      sourceHandle: links[i]?.via ?? 'out',
      target: link.id,
    })),
  };
}

/** Adds an edge from `source`'s `handle` to a new node. */
export function branch(graph: WorkflowGraph, source: string, handle: string, link: ChainLink): WorkflowGraph {
  return {
    nodes: [
      ...graph.nodes,
      { id: link.id, type: link.type, typeVersion: 1, position: { x: 300, y: 0 }, config: link.config ?? {} },
    ],
    edges: [...graph.edges, { id: `e_${source}_${handle}`, source, sourceHandle: handle, target: link.id }],
  };
}

export function acknowledged(
  overrides: Partial<ConversationAcknowledgedEvent> = {},
): ConversationAcknowledgedEvent {
  seq += 1;
  const base = inboundMessage();
  return {
    type: 'conversation.acknowledged',
    seq,
    conversationId: base.conversationId,
    businessNumberId: base.businessNumberId,
    customerWaId: base.customerWaId,
    workflowVersionId: base.workflowVersionId,
    occurredAt: base.occurredAt,
    facts: base.facts,
    agentId: 'agent_ana',
    ...overrides,
  };
}

export function agentReplied(overrides: Partial<AgentRepliedEvent> = {}): AgentRepliedEvent {
  const ack = acknowledged();
  return {
    ...ack,
    type: 'agent.replied',
    agentId: 'agent_ana',
    messageId: `wamid.out${ack.seq}`,
    ...overrides,
  };
}

/** The parts every routed event shares, as `inboundMessage` makes them, with a fresh sequence number. */
function eventBase() {
  const { seq, conversationId, businessNumberId, customerWaId, workflowVersionId, occurredAt, facts } =
    inboundMessage();
  return { seq, conversationId, businessNumberId, customerWaId, workflowVersionId, occurredAt, facts };
}

export function slaAlert(overrides: Partial<SlaAlertEvent> = {}): SlaAlertEvent {
  return {
    ...eventBase(),
    type: 'sla.alert',
    level: 'breach',
    measure: 'first_response',
    policyId: 'policy_default',
    dueAt: 1_780_000_000_000,
    ...overrides,
  };
}

export function tagChanged(overrides: Partial<TagChangedEvent> = {}): TagChangedEvent {
  return { ...eventBase(), type: 'conversation.tagChanged', tag: 'vip', change: 'added', ...overrides };
}

export function deliveryFailed(overrides: Partial<DeliveryFailedEvent> = {}): DeliveryFailedEvent {
  return {
    ...eventBase(),
    type: 'message.deliveryFailed',
    messageId: 'wamid.out1',
    // Cloud API: "Re-engagement message", sent outside the 24-hour window.
    errorCode: 131047,
    errorTitle: 'Re-engagement message',
    ...overrides,
  };
}

export function manualRun(overrides: Partial<ManualRunEvent> = {}): ManualRunEvent {
  return { ...eventBase(), type: 'manual.run', requestedBy: 'manager_mia', ...overrides };
}

/** The schedule trigger `start` fired at 09:00 UTC on 14 Nov 2023. */
export function scheduleFired(overrides: Partial<ScheduleFiredEvent> = {}): ScheduleFiredEvent {
  return {
    ...eventBase(),
    type: 'schedule.fired',
    triggerNodeId: 'start',
    scheduledAt: Date.UTC(2023, 10, 14, 9),
    ...overrides,
  };
}
