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
import { FLOW_NODE_TYPE, type FlowNode, type NodeHighlight, toFlow } from './toFlow';

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

/**
 * A published graph, read-only. `highlights` marks nodes (a run's path, a diff's changes); pass a
 * stable map (memoised) so the canvas does not rebuild on every render.
 */
export function WorkflowCanvas({
  graph,
  highlights,
}: {
  graph: WorkflowGraph;
  highlights?: ReadonlyMap<string, NodeHighlight>;
}) {
  const flow = useMemo(() => toFlow(graph, highlights), [graph, highlights]);
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
