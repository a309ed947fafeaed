import type { GraphNode, WorkflowGraph } from '@switchboard/shared';
import type { z } from 'zod';

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

/**
 * A node's config parsed by its type's schema, once per node object: the same published node is
 * stepped for every conversation, and parsing it each time was a measurable share of a router
 * workflow's CPU. Same immutability as the index above.
 */
const parsedConfigs = new WeakMap<GraphNode, z.ZodSafeParseResult<unknown>>();

export function parsedConfig(
  node: GraphNode,
  configSchema: z.ZodType<unknown, unknown>,
): z.ZodSafeParseResult<unknown> {
  let parsed = parsedConfigs.get(node);
  if (!parsed) {
    parsed = configSchema.safeParse(node.config);
    // Shared by every step of every conversation from now on: a node that changed its config
    // would change it for all of them, so any such write fails loudly instead.
    if (parsed.success) deepFreeze(parsed.data);
    parsedConfigs.set(node, parsed);
  }
  return parsed;
}

/** Freezes `value` and everything in it: shared values must fail loudly on any write. */
export function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

export function edgeKey(source: string, handle: string): string {
  return `${source}\u0000${handle}`;
}
