import { describe, expect, it } from 'vitest';
import type { WorkflowGraph } from './graph';
import { diffGraphs } from './graphDiff';

function routingGraph(teamId: string): WorkflowGraph {
  return {
    nodes: [
      { id: 'start', type: 'trigger.newConversation', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
      {
        id: 'assign',
        type: 'assign',
        typeVersion: 1,
        position: { x: 0, y: 100 },
        config: { strategy: 'round_robin', teamId, skills: [{ skill: 'billing', minLevel: 2 }] },
      },
    ],
    edges: [{ id: 'e1', source: 'start', sourceHandle: 'out', target: 'assign' }],
  };
}

describe('diffing two workflow versions', () => {
  it('a graph compared with itself is identical, whatever the key order', () => {
    const graph = routingGraph('team_support');
    const reversedKeys = (value: object) => Object.fromEntries(Object.entries(value).reverse());
    const reordered = {
      edges: graph.edges.map(reversedKeys),
      nodes: graph.nodes.map((node) => ({ ...reversedKeys(node), config: reversedKeys(node.config) })),
    } as WorkflowGraph;
    expect(diffGraphs(graph, reordered)).toMatchObject({ identical: true, changedNodes: [] });
  });

  it('moving the assignment to another team is one config change naming the field', () => {
    const diff = diffGraphs(routingGraph('team_support'), routingGraph('team_sales'));
    expect(diff.identical).toBe(false);
    expect(diff.changedNodes).toEqual([
      {
        nodeId: 'assign',
        type: 'assign',
        movedOnly: false,
        fields: [{ path: 'config.teamId', before: 'team_support', after: 'team_sales' }],
      },
    ]);
  });

  it('a tag step inserted between trigger and assign: one node and two edges added, one edge removed', () => {
    const before = routingGraph('team_support');
    const after: WorkflowGraph = {
      nodes: [
        ...before.nodes,
        { id: 'tag', type: 'action.tag', typeVersion: 1, position: { x: 0, y: 50 }, config: { tag: 'vip' } },
      ],
      edges: [
        { id: 'e2', source: 'start', sourceHandle: 'out', target: 'tag' },
        { id: 'e3', source: 'tag', sourceHandle: 'out', target: 'assign' },
      ],
    };
    const diff = diffGraphs(before, after);
    expect(diff.addedNodes).toEqual([{ nodeId: 'tag', type: 'action.tag' }]);
    expect(diff.removedNodes).toEqual([]);
    expect(diff.addedEdges.map((edge) => edge.id)).toEqual(['e2', 'e3']);
    expect(diff.removedEdges.map((edge) => edge.id)).toEqual(['e1']);
    // And back again: the same change, mirrored.
    const back = diffGraphs(after, before);
    expect(back.removedNodes).toEqual([{ nodeId: 'tag', type: 'action.tag' }]);
    expect(back.addedEdges.map((edge) => edge.id)).toEqual(['e1']);
  });

  it('a nested config value is addressed by its path; a move alone is marked as such', () => {
    const before = routingGraph('team_support');
    const after = routingGraph('team_support');
    const assign = after.nodes[1];
    if (!assign) throw new Error('fixture');
    assign.config = { ...assign.config, skills: [{ skill: 'billing', minLevel: 4 }] };
    const start = after.nodes[0];
    if (start) start.position = { x: 40, y: 0 };
    const diff = diffGraphs(before, after);
    expect(diff.changedNodes).toEqual([
      {
        nodeId: 'start',
        type: 'trigger.newConversation',
        movedOnly: true,
        fields: [{ path: 'position.x', before: 0, after: 40 }],
      },
      {
        nodeId: 'assign',
        type: 'assign',
        movedOnly: false,
        fields: [{ path: 'config.skills.0.minLevel', before: 2, after: 4 }],
      },
    ]);
  });

  it('an edge rewired to another output is a changed edge', () => {
    const before = routingGraph('team_support');
    const after = routingGraph('team_support');
    after.edges = [{ id: 'e1', source: 'start', sourceHandle: 'late', target: 'assign' }];
    expect(diffGraphs(before, after).changedEdges).toEqual([
      {
        id: 'e1',
        before: { id: 'e1', source: 'start', sourceHandle: 'out', target: 'assign' },
        after: { id: 'e1', source: 'start', sourceHandle: 'late', target: 'assign' },
      },
    ]);
  });
});
