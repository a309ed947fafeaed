import type { WorkflowGraph } from '@switchboard/shared';

/** new conversation → assign round-robin → wait for acknowledgement → (timeout) team lead + note. */
export function acknowledgeOrEscalate(timeoutMinutes: number): WorkflowGraph {
  const node = (id: string, type: string, y: number, config: Record<string, unknown> = {}) => ({
    id,
    type,
    typeVersion: 1,
    position: { x: 0, y },
    config,
  });
  return {
    nodes: [
      node('new_conversation', 'trigger.newConversation', 0),
      node('assign', 'assign', 120, { strategy: 'round_robin', teamId: 'team_support' }),
      node('wait_ack', 'flow.waitForAcknowledgement', 240, { timeoutMinutes }),
      node('lead', 'assign', 360, { strategy: 'team_lead', teamId: 'team_support' }),
      node('note', 'action.note', 480, { text: 'Escalated: nobody acknowledged in time. @agent_ben' }),
    ],
    edges: [
      { id: 'e1', source: 'new_conversation', sourceHandle: 'out', target: 'assign' },
      { id: 'e2', source: 'assign', sourceHandle: 'assigned', target: 'wait_ack' },
      { id: 'e3', source: 'wait_ack', sourceHandle: 'timeout', target: 'lead' },
      { id: 'e4', source: 'lead', sourceHandle: 'assigned', target: 'note' },
    ],
  };
}

/** As `acknowledgeOrEscalate`, but on timeout the conversation is tagged `tagNode` (the node's id too). */
export function acknowledgeOrTag(tagNode: string, timeoutMinutes: number): WorkflowGraph {
  const graph = acknowledgeOrEscalate(timeoutMinutes);
  return {
    nodes: [
      ...graph.nodes.filter((node) => node.id !== 'lead' && node.id !== 'note'),
      {
        id: tagNode,
        type: 'action.tag',
        typeVersion: 1,
        position: { x: 0, y: 360 },
        config: { tag: tagNode },
      },
    ],
    edges: [
      ...graph.edges.filter((edge) => edge.id === 'e1' || edge.id === 'e2'),
      { id: 'e3', source: 'wait_ack', sourceHandle: 'timeout', target: tagNode },
    ],
  };
}
