import type { MessageReceivedEvent, WorkflowGraph } from '@switchboard/shared';

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

let seq = 0;

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
    ...overrides,
  };
}
