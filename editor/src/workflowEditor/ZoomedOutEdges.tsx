import type { GraphNode } from '@switchboard/shared';
import { type Edge, getSmoothStepPath, Position, useStoreApi, ViewportPortal } from '@xyflow/react';
import { memo, useRef } from 'react';
import { ESTIMATED_CARD, estimatedHandles } from './cardGeometry';
import { useDraft } from './draftContext';
import type { EditorFlowNode } from './flowModel';

type HandleBox = { id?: string | null; x: number; y: number; width: number; height: number };
type Endpoints = { sx: number; sy: number; tx: number; ty: number };
type CachedPath = Endpoints & { d: string };

const EdgeLine = memo(function EdgeLine({ d, className }: { d: string; className: string }) {
  return <path d={d} className={className} />;
});

function sameEnds(a: Endpoints, b: Endpoints): boolean {
  return a.sx === b.sx && a.sy === b.sy && a.tx === b.tx && a.ty === b.ty;
}

/**
 * Below the legible zoom every edge of the graph is on screen at once. React Flow draws each edge
 * as its own <svg>, subscribed to its store, so dragging one card there re-checks 1,200 edges and
 * makes the browser hit-test and layerize 1,200 positioned elements every frame. This layer draws
 * the same step paths as plain <path>s in one <svg> under the cards, recomputing only the paths
 * whose ends moved. It draws and does not take clicks: at this zoom an edge is a hairline.
 */
export const ZoomedOutEdges = memo(function ZoomedOutEdges({
  edges,
}: {
  edges: readonly Edge[];
  /** Changes when React Flow measures cards: a new value rereads the handle positions. */
  measuredSizes: unknown;
}) {
  const nodes = useDraft((s) => s.graph.nodes);
  const flowStore = useStoreApi<EditorFlowNode>();
  const paths = useRef(new Map<string, CachedPath>());
  // The cache only saves recomputing paths; a second render for the same input finds the same ones.
  const lines = (() => {
    const byId = new Map<string, GraphNode>(nodes.map((node) => [node.id, node]));
    const { nodeLookup } = flowStore.getState();
    const handlesOf = (node: GraphNode, type: 'source' | 'target'): readonly HandleBox[] => {
      const measured = nodeLookup.get(node.id)?.internals.handleBounds?.[type];
      if (measured) return measured;
      const outputs = nodeLookup.get(node.id)?.internals.userNode.data.usedHandles ?? [];
      return estimatedHandles(outputs, true).filter((handle) => handle.type === type);
    };
    const next = new Map<string, CachedPath>();
    const result: Array<{ id: string; d: string; className: string }> = [];
    for (const edge of edges) {
      const source = byId.get(edge.source);
      const target = byId.get(edge.target);
      if (!source || !target) continue;
      const out = handlesOf(source, 'source').find((h) => h.id === edge.sourceHandle);
      const into = handlesOf(target, 'target')[0];
      const ends: Endpoints = {
        sx: source.position.x + (out ? out.x + out.width : ESTIMATED_CARD.width),
        sy: source.position.y + (out ? out.y + out.height / 2 : ESTIMATED_CARD.height / 2),
        tx: target.position.x + (into ? into.x : 0),
        ty: target.position.y + (into ? into.y + into.height / 2 : ESTIMATED_CARD.height / 2),
      };
      const previous = paths.current.get(edge.id);
      const cached: CachedPath =
        previous && sameEnds(previous, ends)
          ? previous
          : {
              ...ends,
              d: getSmoothStepPath({
                sourceX: ends.sx,
                sourceY: ends.sy,
                sourcePosition: Position.Right,
                targetX: ends.tx,
                targetY: ends.ty,
                targetPosition: Position.Left,
              })[0],
            };
      next.set(edge.id, cached);
      const classes = ['zoomed-out-edge'];
      if (edge.selected) classes.push('zoomed-out-edge--selected');
      if (edge.animated) classes.push('zoomed-out-edge--trail');
      result.push({ id: edge.id, d: cached.d, className: classes.join(' ') });
    }
    paths.current = next;
    return result;
  })();
  return (
    <ViewportPortal>
      <svg className="zoomed-out-edges" data-testid="zoomed-out-edges" aria-hidden="true">
        {lines.map((line) => (
          <EdgeLine key={line.id} d={line.d} className={line.className} />
        ))}
      </svg>
    </ViewportPortal>
  );
});
