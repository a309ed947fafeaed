import { describe, expect, it } from 'vitest';
import { canonicalGraph, canonicalJson, workflowGraphSchema } from './graph';

const graph = {
  nodes: [
    { id: 'start', type: 'trigger.newConversation', typeVersion: 1, position: { x: 0, y: 0 } },
    { id: 'assign', type: 'assign', typeVersion: 1, position: { x: 0, y: 100 }, config: { teamId: 't1' } },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'assign' }],
};

describe('workflow graph schema', () => {
  it('accepts a graph and fills defaults: empty config, the "out" handle', () => {
    const parsed = workflowGraphSchema.parse(graph);
    expect(parsed.nodes[0]?.config).toEqual({});
    expect(parsed.edges[0]?.sourceHandle).toBe('out');
  });

  it('names the field that is wrong', () => {
    const result = workflowGraphSchema.safeParse({
      nodes: [{ id: 'has space', type: 'assign', typeVersion: 1, position: { x: 0, y: 0 } }],
      edges: [],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['nodes', 0, 'id']);
  });

  it('rejects a typeVersion that is not a positive integer', () => {
    const bad = { ...graph, nodes: [{ ...graph.nodes[0], typeVersion: 0 }] };
    const result = workflowGraphSchema.safeParse(bad);
    expect(result.error?.issues[0]?.path).toEqual(['nodes', 0, 'typeVersion']);
  });
});

describe('canonical form for content hashes', () => {
  it('ignores key order and node/edge order', () => {
    const a = workflowGraphSchema.parse(graph);
    const b = workflowGraphSchema.parse({
      edges: [{ target: 'assign', source: 'start', id: 'e1' }],
      nodes: [...graph.nodes].reverse().map((node) => Object.fromEntries(Object.entries(node).reverse())),
    });
    expect(canonicalGraph(a)).toBe(canonicalGraph(b));
  });

  it('differs when a config value differs', () => {
    const a = workflowGraphSchema.parse(graph);
    const changed = structuredClone(a);
    (changed.nodes[1] as { config: Record<string, unknown> }).config.teamId = 't2';
    expect(canonicalGraph(a)).not.toBe(canonicalGraph(changed));
  });

  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"z":1}]},"b":1}',
    );
  });
});
