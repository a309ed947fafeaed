import { type AnyNodeType, findNodeType, type NodeOutput } from '@switchboard/nodes';
import type { GraphEdge, GraphNode, WorkflowGraph } from '@switchboard/shared';
import { defaultConfig } from './schemaFields';

/**
 * Pure edits of a domain graph. The store keeps history and selection around them; keeping them
 * free of React and zustand lets the connection rules and paste be tested as plain functions.
 */

export type Connection = { source: string; sourceHandle: string; target: string };

/** A short prefix for ids: `trigger.newConversation` → `newConversation`. */
function idPrefix(type: string): string {
  return (type.split('.').pop() ?? 'node').replace(/[^A-Za-z0-9_]/g, '') || 'node';
}

export function uniqueId(prefix: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n += 1) {
    const id = `${prefix}_${n}`;
    if (!taken.has(id)) return id;
  }
}

export function createNode(
  nodeType: AnyNodeType,
  position: { x: number; y: number },
  taken: ReadonlySet<string>,
): GraphNode {
  return {
    id: uniqueId(idPrefix(nodeType.type), taken),
    type: nodeType.type,
    typeVersion: nodeType.typeVersion,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    config: defaultConfig(nodeType.configSchema),
  };
}

/**
 * The outputs a node offers: the catalog's for its config (a switch has one per case), falling back
 * to the outputs of its defaults while the config is invalid, plus any handle an existing edge
 * still uses so that a stale edge stays visible instead of vanishing.
 */
export function outputsOf(
  node: Pick<GraphNode, 'type' | 'config'>,
  usedHandles: readonly string[] = [],
): NodeOutput[] {
  const nodeType = findNodeType(node.type);
  let outputs: NodeOutput[] = [];
  if (nodeType) {
    const parsed = nodeType.configSchema.safeParse(node.config);
    outputs = parsed.success ? nodeType.outputs(parsed.data) : outputsOfInvalid(nodeType, node.config);
  }
  const known = new Set(outputs.map((output) => output.id));
  const stale = usedHandles.filter((handle) => !known.has(handle)).map((id) => ({ id, label: id }));
  return [...outputs, ...stale];
}

/**
 * A node being configured is usually invalid (no time zone yet), yet the manager must be able to
 * wire it. Most types' outputs do not depend on the config, or only on fields with defaults, so
 * the defaults merged with what is there give the right handles; a type whose outputs need more
 * (a switch without cases) gets none until its config makes sense.
 */
function outputsOfInvalid(nodeType: AnyNodeType, config: Record<string, unknown>): NodeOutput[] {
  try {
    const outputs: unknown = nodeType.outputs({ ...defaultConfig(nodeType.configSchema), ...config });
    return Array.isArray(outputs) ? (outputs as NodeOutput[]).filter((o) => typeof o?.id === 'string') : [];
  } catch {
    return [];
  }
}

export function isTrigger(node: Pick<GraphNode, 'type'> | undefined): boolean {
  return findNodeType(node?.type ?? '')?.category === 'trigger';
}

/** Why a connection is refused, in words for the manager; null when it may be drawn. */
export function connectionProblem(graph: WorkflowGraph, connection: Connection): string | null {
  const source = graph.nodes.find((node) => node.id === connection.source);
  const target = graph.nodes.find((node) => node.id === connection.target);
  if (!source || !target) return 'both ends must be nodes on the canvas';
  if (source.id === target.id) return 'a node cannot lead to itself';
  if (isTrigger(target)) return 'nothing can lead into a trigger: it starts the workflow';
  if (graph.edges.some((e) => e.source === source.id && e.sourceHandle === connection.sourceHandle)) {
    return `output "${connection.sourceHandle}" already leads somewhere; delete that edge first`;
  }
  return null;
}

export function connect(graph: WorkflowGraph, connection: Connection): WorkflowGraph {
  if (connectionProblem(graph, connection)) return graph;
  const edge: GraphEdge = {
    id: uniqueId(`e_${connection.source}_${connection.sourceHandle}`.slice(0, 56), edgeIds(graph)),
    ...connection,
  };
  return { ...graph, edges: [...graph.edges, edge] };
}

function edgeIds(graph: WorkflowGraph): Set<string> {
  return new Set(graph.edges.map((edge) => edge.id));
}

export function nodeIds(graph: WorkflowGraph): Set<string> {
  return new Set(graph.nodes.map((node) => node.id));
}

/** Removes nodes with their edges, and edges on their own. */
export function removeElements(
  graph: WorkflowGraph,
  nodeIdsToRemove: ReadonlySet<string>,
  edgeIdsToRemove: ReadonlySet<string>,
): WorkflowGraph {
  if (nodeIdsToRemove.size === 0 && edgeIdsToRemove.size === 0) return graph;
  return {
    nodes: graph.nodes.filter((node) => !nodeIdsToRemove.has(node.id)),
    edges: graph.edges.filter(
      (edge) =>
        !edgeIdsToRemove.has(edge.id) &&
        !nodeIdsToRemove.has(edge.source) &&
        !nodeIdsToRemove.has(edge.target),
    ),
  };
}

/** The selected nodes and the edges among them: what copy puts on the clipboard. */
export function extractFragment(graph: WorkflowGraph, ids: ReadonlySet<string>): WorkflowGraph {
  return {
    nodes: graph.nodes.filter((node) => ids.has(node.id)),
    edges: graph.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target)),
  };
}

/** Adds a copy of a fragment with fresh ids, shifted so that it does not hide the original. */
export function pasteFragment(
  graph: WorkflowGraph,
  fragment: WorkflowGraph,
  offset: { x: number; y: number },
): { graph: WorkflowGraph; pastedIds: string[] } {
  const taken = nodeIds(graph);
  const renamed = new Map<string, string>();
  const nodes = fragment.nodes.map((node) => {
    const id = uniqueId(idPrefix(node.type), taken);
    taken.add(id);
    renamed.set(node.id, id);
    return {
      ...structuredClone(node),
      id,
      position: { x: node.position.x + offset.x, y: node.position.y + offset.y },
    };
  });
  const takenEdges = edgeIds(graph);
  const edges = fragment.edges.flatMap((edge) => {
    const source = renamed.get(edge.source);
    const target = renamed.get(edge.target);
    if (!source || !target) return [];
    const id = uniqueId(`e_${source}_${edge.sourceHandle}`.slice(0, 56), takenEdges);
    takenEdges.add(id);
    return [{ id, source, sourceHandle: edge.sourceHandle, target }];
  });
  return {
    graph: { nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] },
    pastedIds: nodes.map((node) => node.id),
  };
}

/** Replaces one node by id, keeping every other node object (and so its memoised card) as it was. */
export function updateNode(
  graph: WorkflowGraph,
  id: string,
  update: (node: GraphNode) => GraphNode,
): WorkflowGraph {
  let changed = false;
  const nodes = graph.nodes.map((node) => {
    if (node.id !== id) return node;
    changed = true;
    return update(node);
  });
  return changed ? { ...graph, nodes } : graph;
}

/** Moves nodes; untouched nodes keep their identity so a drag re-renders only what moves. */
export function moveNodes(
  graph: WorkflowGraph,
  positions: ReadonlyMap<string, { x: number; y: number }>,
): WorkflowGraph {
  if (positions.size === 0) return graph;
  const nodes = graph.nodes.map((node) => {
    const position = positions.get(node.id);
    return position ? { ...node, position: { x: position.x, y: position.y } } : node;
  });
  return { ...graph, nodes };
}
