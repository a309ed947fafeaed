import type { GraphProblem, NodeCategory } from '@switchboard/nodes';
import { findNodeType } from '@switchboard/nodes';
import type { GraphEdge, GraphNode, WorkflowGraph } from '@switchboard/shared';
import type { Edge, Node } from '@xyflow/react';

/** How a dry run left a node: the canvas colours the path taken. */
export type TrailStatus = 'passed' | 'waiting' | 'ended' | 'failed';

export type NodeBadge = { errors: number; warnings: number; messages: string[] };

export type EditorNodeData = {
  node: GraphNode;
  /**
   * Handles the node's edges use. The card turns these and the config into outputs itself, so that
   * only cards on screen pay for parsing their config (a 1,000-node graph opens with ~35 drawn).
   */
  usedHandles: readonly string[];
  badge: NodeBadge | null;
  trail: TrailStatus | null;
};

export type EditorFlowNode = Node<EditorNodeData, NodeCategory | 'unknown'>;

type CachedNode = {
  node: GraphNode;
  handlesKey: string;
  badge: NodeBadge | null;
  selected: boolean;
  trail: TrailStatus | null;
  flowNode: EditorFlowNode;
};
type CachedEdge = { edge: GraphEdge; selected: boolean; trail: boolean; flowEdge: Edge };

export function badgesByNode(problems: readonly GraphProblem[]): Map<string, NodeBadge> {
  const badges = new Map<string, NodeBadge>();
  for (const problem of problems) {
    if (!problem.nodeId) continue;
    const badge = badges.get(problem.nodeId) ?? { errors: 0, warnings: 0, messages: [] };
    if (problem.severity === 'error') badge.errors += 1;
    else badge.warnings += 1;
    badge.messages.push(problem.message);
    badges.set(problem.nodeId, badge);
  }
  return badges;
}

function sameBadge(a: NodeBadge | null, b: NodeBadge | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.errors === b.errors && a.warnings === b.warnings && a.messages.join('\n') === b.messages.join('\n')
  );
}

/**
 * Derives React Flow's nodes and edges from the domain graph, reusing the previous object for every
 * node whose inputs did not change. React Flow and the memoised cards compare by identity, so a
 * drag of one node in a 1,000-node graph re-renders one card, not a thousand.
 */
export function createFlowModel() {
  let nodeCache = new Map<string, CachedNode>();
  let edgeCache = new Map<string, CachedEdge>();

  function nodes(
    graph: WorkflowGraph,
    badges: ReadonlyMap<string, NodeBadge>,
    selected: ReadonlySet<string>,
    trail: ReadonlyMap<string, TrailStatus>,
  ): EditorFlowNode[] {
    const handles = new Map<string, string[]>();
    for (const edge of graph.edges) {
      const list = handles.get(edge.source);
      if (!list) handles.set(edge.source, [edge.sourceHandle]);
      else if (!list.includes(edge.sourceHandle)) list.push(edge.sourceHandle);
    }
    const next = new Map<string, CachedNode>();
    const result = graph.nodes.map((node) => {
      const used = handles.get(node.id) ?? [];
      const handlesKey = used.join('\u0000');
      const badge = badges.get(node.id) ?? null;
      const isSelected = selected.has(node.id);
      const nodeTrail = trail.get(node.id) ?? null;
      const cached = nodeCache.get(node.id);
      if (
        cached &&
        cached.selected === isSelected &&
        cached.trail === nodeTrail &&
        sameBadge(cached.badge, badge) &&
        cached.handlesKey === handlesKey
      ) {
        if (cached.node === node) {
          next.set(node.id, cached);
          return cached.flowNode;
        }
        // Only moved: keep data (and so the card's props) and give React Flow the new position.
        if (
          cached.node.config === node.config &&
          cached.node.label === node.label &&
          cached.node.type === node.type
        ) {
          const flowNode: EditorFlowNode = {
            ...cached.flowNode,
            position: node.position,
            data: { ...cached.flowNode.data, node },
          };
          next.set(node.id, { ...cached, node, flowNode });
          return flowNode;
        }
      }
      const category = findNodeType(node.type)?.category ?? 'unknown';
      const flowNode: EditorFlowNode = {
        id: node.id,
        type: category,
        position: node.position,
        selected: isSelected,
        data: {
          node,
          usedHandles: cached?.handlesKey === handlesKey ? cached.flowNode.data.usedHandles : used,
          badge,
          trail: nodeTrail,
        },
      };
      next.set(node.id, { node, handlesKey, badge, selected: isSelected, trail: nodeTrail, flowNode });
      return flowNode;
    });
    nodeCache = next;
    return result;
  }

  function edges(
    graphEdges: readonly GraphEdge[],
    selected: ReadonlySet<string>,
    trailEdges: ReadonlySet<string>,
  ): Edge[] {
    const next = new Map<string, CachedEdge>();
    const result = graphEdges.map((edge) => {
      const isSelected = selected.has(edge.id);
      const onTrail = trailEdges.has(edge.id);
      const cached = edgeCache.get(edge.id);
      if (cached && cached.edge === edge && cached.selected === isSelected && cached.trail === onTrail) {
        next.set(edge.id, cached);
        return cached.flowEdge;
      }
      const flowEdge: Edge = {
        id: edge.id,
        source: edge.source,
        sourceHandle: edge.sourceHandle,
        target: edge.target,
        selected: isSelected,
        animated: onTrail,
        ...(onTrail ? { className: 'edge--trail' } : {}),
      };
      next.set(edge.id, { edge, selected: isSelected, trail: onTrail, flowEdge });
      return flowEdge;
    });
    edgeCache = next;
    return result;
  }

  return { nodes, edges };
}
