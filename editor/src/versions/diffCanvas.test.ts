import { diffGraphs, type WorkflowGraph } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { diffCanvas } from './diffCanvas';

const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({
  id,
  type,
  typeVersion: 1,
  position: { x: 0, y: 0 },
  config,
});

describe('drawing a version diff on one canvas', () => {
  it('keeps removed nodes and edges so they can be shown struck out, and marks every difference', () => {
    const v1: WorkflowGraph = {
      nodes: [node('start', 'trigger.newConversation'), node('assign', 'assign', { teamId: 'support' })],
      edges: [{ id: 'e1', source: 'start', sourceHandle: 'out', target: 'assign' }],
    };
    const v2: WorkflowGraph = {
      nodes: [
        node('start', 'trigger.newConversation'),
        node('tag', 'action.tag', { tag: 'vip' }),
        node('assign2', 'assign', { teamId: 'sales' }),
      ],
      edges: [
        { id: 'e2', source: 'start', sourceHandle: 'out', target: 'tag' },
        { id: 'e3', source: 'tag', sourceHandle: 'out', target: 'assign2' },
      ],
    };
    const { graph, highlight } = diffCanvas(v1, v2, diffGraphs(v1, v2));
    expect(graph.nodes.map((n) => n.id)).toEqual(['start', 'tag', 'assign2', 'assign']);
    expect(graph.edges.map((e) => e.id)).toEqual(['e2', 'e3', 'e1']);
    expect(Object.fromEntries(highlight.nodes ?? [])).toEqual({
      tag: 'added',
      assign2: 'added',
      assign: 'removed',
    });
    expect(Object.fromEntries(highlight.edges ?? [])).toEqual({ e1: 'removed', e2: 'added', e3: 'added' });
  });
});
