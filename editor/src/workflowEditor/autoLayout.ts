import { Graph, layout } from '@dagrejs/dagre';
import type { WorkflowGraph } from '@switchboard/shared';

/** Card size assumed for layout; measured sizes vary a little with the summary, which dagre tolerates. */
const NODE_WIDTH = 240;
const NODE_HEIGHT = 110;

/**
 * Left-to-right layered layout, triggers first. Returns new positions only for nodes that move, so
 * the store can apply it as one undoable edit.
 */
export function autoLayout(graph: WorkflowGraph): Map<string, { x: number; y: number }> {
  const layered = new Graph({ multigraph: true });
  layered.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  layered.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) layered.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of graph.edges) {
    if (layered.hasNode(edge.source) && layered.hasNode(edge.target)) {
      layered.setEdge(edge.source, edge.target, {}, edge.id);
    }
  }
  layout(layered);
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of graph.nodes) {
    const placed = layered.node(node.id);
    // dagre gives centres; React Flow positions are top-left corners.
    const x = Math.round(placed.x - NODE_WIDTH / 2);
    const y = Math.round(placed.y - NODE_HEIGHT / 2);
    if (x !== node.position.x || y !== node.position.y) positions.set(node.id, { x, y });
  }
  return positions;
}
