import type { WorkflowGraph } from '@switchboard/shared';
import {
  Background,
  Controls,
  type DefaultEdgeOptions,
  type Dimensions,
  MarkerType,
  MiniMap,
  type NodeChange,
  type NodeTypes,
  ReactFlow,
} from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import { NodeCard } from './NodeCard';
import { FLOW_NODE_TYPE, type FlowNode, toFlow } from './toFlow';

// Module-level so React Flow sees the same object every render and never remounts the nodes.
const nodeTypes: NodeTypes = { [FLOW_NODE_TYPE]: NodeCard };

const defaultEdgeOptions: DefaultEdgeOptions = {
  type: 'smoothstep',
  markerEnd: { type: MarkerType.ArrowClosed },
};

type MeasuredSizes = ReadonlyMap<string, Dimensions>;

/**
 * React Flow measures nodes in the DOM and reports sizes as changes; in controlled mode the MiniMap
 * only draws nodes whose `measured` size came back through props. Sizes are view state, so they
 * live here rather than in the store next to the graph.
 */
function useMeasuredNodes(nodes: FlowNode[]) {
  const [sizes, setSizes] = useState<MeasuredSizes>(() => new Map());
  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    setSizes((previous) => {
      let next: Map<string, Dimensions> | null = null;
      for (const change of changes) {
        if (change.type !== 'dimensions' || !change.dimensions) continue;
        next ??= new Map(previous);
        next.set(change.id, change.dimensions);
      }
      return next ?? previous;
    });
  }, []);
  const measuredNodes = useMemo(
    () =>
      nodes.map((node) => {
        const measured = sizes.get(node.id);
        return measured ? { ...node, measured } : node;
      }),
    [nodes, sizes],
  );
  return { nodes: measuredNodes, onNodesChange };
}

/** A class name per node or edge id (`added`, `removed`, `visited`…), drawn as `flow-highlight--<kind>`. */
export type CanvasHighlight = { nodes?: ReadonlyMap<string, string>; edges?: ReadonlyMap<string, string> };

function highlighted<Item extends { id: string; className?: string }>(
  items: Item[],
  kinds: ReadonlyMap<string, string> | undefined,
): Item[] {
  if (!kinds || kinds.size === 0) return items;
  return items.map((item) => {
    const kind = kinds.get(item.id);
    return kind ? { ...item, className: `flow-highlight flow-highlight--${kind}` } : item;
  });
}

export function WorkflowCanvas({ graph, highlight }: { graph: WorkflowGraph; highlight?: CanvasHighlight }) {
  const flow = useMemo(() => {
    const plain = toFlow(graph);
    return {
      nodes: highlighted(plain.nodes, highlight?.nodes),
      edges: highlighted(plain.edges, highlight?.edges),
    };
  }, [graph, highlight]);
  const { nodes, onNodesChange } = useMeasuredNodes(flow.nodes);
  return (
    <div className="workflow-canvas" data-testid="workflow-canvas">
      <ReactFlow
        nodes={nodes}
        edges={flow.edges}
        onNodesChange={onNodesChange}
        nodeTypes={nodeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesReconnectable={false}
        elementsSelectable={false}
        fitView
        minZoom={0.2}
      >
        <Background gap={20} />
        <MiniMap pannable zoomable />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
