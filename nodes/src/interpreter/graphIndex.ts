import type { GraphNode, WorkflowGraph } from '@switchboard/shared';

export interface GraphIndex {
  nodes: Map<string, GraphNode>;
  /** `${source}\u0000${handle}` → target node id. */
  next: Map<string, string>;
  triggers: GraphNode[];
}

// Graph versions are immutable once published, so an index built once per graph object stays valid.
const indexes = new WeakMap<WorkflowGraph, GraphIndex>();

export function indexGraph(graph: WorkflowGraph): GraphIndex {
  const cached = indexes.get(graph);
  if (cached) return cached;
  const index: GraphIndex = { nodes: new Map(), next: new Map(), triggers: [] };
  for (const node of graph.nodes) {
    index.nodes.set(node.id, node);
    if (node.type.startsWith('trigger.')) index.triggers.push(node);
  }
  for (const edge of graph.edges) {
    const key = edgeKey(edge.source, edge.sourceHandle);
    // Validation rejects two edges from one output; if one slips through, the first one wins.
    if (!index.next.has(key)) index.next.set(key, edge.target);
  }
  indexes.set(graph, index);
  return index;
}

export function edgeKey(source: string, handle: string): string {
  return `${source}\u0000${handle}`;
}
