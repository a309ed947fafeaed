import type { GraphDiff, WorkflowGraph } from '@switchboard/shared';
import type { CanvasHighlight } from '../workflows/WorkflowCanvas';

/**
 * One graph to draw a diff on: the newer version, plus the nodes and edges only the older one had
 * (drawn as removed), with a highlight kind for everything that differs.
 */
export function diffCanvas(
  from: WorkflowGraph,
  to: WorkflowGraph,
  diff: GraphDiff,
): { graph: WorkflowGraph; highlight: CanvasHighlight } {
  const removedNodeIds = new Set(diff.removedNodes.map((node) => node.nodeId));
  const removedEdgeIds = new Set(diff.removedEdges.map((edge) => edge.id));
  const nodes = new Map<string, string>();
  const edges = new Map<string, string>();
  for (const node of diff.addedNodes) nodes.set(node.nodeId, 'added');
  for (const node of diff.removedNodes) nodes.set(node.nodeId, 'removed');
  for (const node of diff.changedNodes) nodes.set(node.nodeId, node.movedOnly ? 'moved' : 'changed');
  for (const edge of diff.addedEdges) edges.set(edge.id, 'added');
  for (const edge of diff.removedEdges) edges.set(edge.id, 'removed');
  for (const edge of diff.changedEdges) edges.set(edge.id, 'changed');
  // An edge id can be reused for another connection; the removed copy is dropped rather than doubled.
  const keptIds = new Set(to.edges.map((edge) => edge.id));
  return {
    graph: {
      nodes: [...to.nodes, ...from.nodes.filter((node) => removedNodeIds.has(node.id))],
      edges: [
        ...to.edges,
        ...from.edges.filter((edge) => removedEdgeIds.has(edge.id) && !keptIds.has(edge.id)),
      ],
    },
    highlight: { nodes, edges },
  };
}
