import type { WorkflowGraph } from '@switchboard/shared';

/** The demo's published workflow: every new conversation goes round-robin to the support team. */
export function sampleRoutingGraph(teamId: string): WorkflowGraph {
  return {
    nodes: [
      {
        id: 'new_conversation',
        type: 'trigger.newConversation',
        typeVersion: 1,
        position: { x: 0, y: 0 },
        config: {},
        label: 'New conversation',
      },
      {
        id: 'assign_support',
        type: 'assign',
        typeVersion: 1,
        position: { x: 0, y: 160 },
        config: { strategy: 'round_robin', teamId },
        label: 'Assign round-robin in Support',
      },
    ],
    edges: [
      { id: 'e_trigger_assign', source: 'new_conversation', sourceHandle: 'out', target: 'assign_support' },
    ],
  };
}
