import type { GraphEdge, GraphNode, WorkflowGraph } from '@switchboard/shared';
import type { Edge, Node } from '@xyflow/react';
import { isTriggerType, nodeTitle, summarizeConfig } from './nodeSummary';

/** Every graph node renders through the one NodeCard component; its look depends on data, not type. */
export const FLOW_NODE_TYPE = 'card';

export type FlowNodeData = {
  nodeType: string;
  title: string;
  summary: string;
  /** Distinct `sourceHandle` names of the node's outgoing edges, in the order edges use them. */
  sourceHandles: string[];
  hasTarget: boolean;
  /** How a run (dry run, replay) left this node, when the canvas is asked to show one. */
  highlight?: NodeHighlight;
};

export type NodeHighlight = 'passed' | 'waiting' | 'ended' | 'failed' | 'changed' | 'added' | 'removed';

export type FlowNode = Node<FlowNodeData, typeof FLOW_NODE_TYPE>;

export type Flow = { nodes: FlowNode[]; edges: Edge[] };

function sourceHandlesByNode(edges: readonly GraphEdge[]): Map<string, string[]> {
  const handles = new Map<string, string[]>();
  for (const edge of edges) {
    const names = handles.get(edge.source);
    if (names === undefined) handles.set(edge.source, [edge.sourceHandle]);
    else if (!names.includes(edge.sourceHandle)) names.push(edge.sourceHandle);
  }
  return handles;
}

function toFlowNode(
  node: GraphNode,
  sourceHandles: string[],
  highlight: NodeHighlight | undefined,
): FlowNode {
  return {
    id: node.id,
    type: FLOW_NODE_TYPE,
    position: { x: node.position.x, y: node.position.y },
    data: {
      nodeType: node.type,
      title: nodeTitle(node),
      summary: summarizeConfig(node.type, node.config),
      sourceHandles,
      hasTarget: !isTriggerType(node.type),
      ...(highlight ? { highlight } : {}),
    },
  };
}

function toFlowEdge(edge: GraphEdge): Edge {
  return { id: edge.id, source: edge.source, sourceHandle: edge.sourceHandle, target: edge.target };
}

/**
 * Derives React Flow's view model from a domain graph. Pure, so the canvas can memoise on the graph
 * and the domain graph stays the only state.
 */
export function toFlow(graph: WorkflowGraph, highlights?: ReadonlyMap<string, NodeHighlight>): Flow {
  const handles = sourceHandlesByNode(graph.edges);
  return {
    nodes: graph.nodes.map((node) => toFlowNode(node, handles.get(node.id) ?? [], highlights?.get(node.id))),
    edges: graph.edges.map(toFlowEdge),
  };
}
