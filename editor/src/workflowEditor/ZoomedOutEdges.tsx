import type { GraphNode } from '@switchboard/shared';
import { type Edge, getSmoothStepPath, Position, useStoreApi, ViewportPortal } from '@xyflow/react';
import { memo, useRef } from 'react';
import { ESTIMATED_CARD, estimatedHandles } from './cardGeometry';
import { useDraft } from './draftContext';
import type { EditorFlowNode } from './flowModel';

type HandleBox = { id?: string | null; x: number; y: number; width: number; height: number };
type Endpoints = { sx: number; sy: number; tx: number; ty: number };
type Line = Endpoints & {
  id: string;
  d: string;
  className: string;
  /** What the ends were computed from: while these are the same objects, so are the ends. */
  source: GraphNode;
  target: GraphNode;
  measuredSizes: unknown;
};

/** Edges per group: a drag re-renders the groups holding a moved edge, not 1,200 paths. */
const GROUP_SIZE = 50;

function sameLines(a: { lines: readonly Line[] }, b: { lines: readonly Line[] }): boolean {
  return a.lines.length === b.lines.length && a.lines.every((line, index) => line === b.lines[index]);
}

const EdgeGroup = memo(function EdgeGroup({ lines }: { lines: readonly Line[] }) {
  return (
    <>
      {lines.map((line) => (
        <path key={line.id} d={line.d} className={line.className} />
      ))}
    </>
  );
}, sameLines);

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
  measuredSizes,
}: {
  edges: readonly Edge[];
  /** Changes when React Flow measures cards: a new value rereads the handle positions. */
  measuredSizes: unknown;
}) {
  const nodes = useDraft((s) => s.graph.nodes);
  const flowStore = useStoreApi<EditorFlowNode>();
  const paths = useRef(new Map<string, Line>());
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
    const next = new Map<string, Line>();
    const groups: Line[][] = [];
    for (const edge of edges) {
      const source = byId.get(edge.source);
      const target = byId.get(edge.target);
      if (!source || !target) continue;
      const classes = ['zoomed-out-edge'];
      if (edge.selected) classes.push('zoomed-out-edge--selected');
      if (edge.animated) classes.push('zoomed-out-edge--trail');
      const className = classes.join(' ');
      const previous = paths.current.get(edge.id);
      let line: Line;
      if (
        previous?.source === source &&
        previous.target === target &&
        previous.measuredSizes === measuredSizes
      ) {
        line = previous.className === className ? previous : { ...previous, className };
      } else {
        const out = handlesOf(source, 'source').find((h) => h.id === edge.sourceHandle);
        const into = handlesOf(target, 'target')[0];
        const ends: Endpoints = {
          sx: source.position.x + (out ? out.x + out.width : ESTIMATED_CARD.width),
          sy: source.position.y + (out ? out.y + out.height / 2 : ESTIMATED_CARD.height / 2),
          tx: target.position.x + (into ? into.x : 0),
          ty: target.position.y + (into ? into.y + into.height / 2 : ESTIMATED_CARD.height / 2),
        };
        const d =
          previous && sameEnds(previous, ends)
            ? previous.d
            : getSmoothStepPath({
                sourceX: ends.sx,
                sourceY: ends.sy,
                sourcePosition: Position.Right,
                targetX: ends.tx,
                targetY: ends.ty,
                targetPosition: Position.Left,
              })[0];
        line = { ...ends, id: edge.id, d, className, source, target, measuredSizes };
      }
      next.set(edge.id, line);
      const last = groups.at(-1);
      if (last && last.length < GROUP_SIZE) last.push(line);
      else groups.push([line]);
    }
    paths.current = next;
    return groups;
  })();
  return (
    <ViewportPortal>
      <svg className="zoomed-out-edges" data-testid="zoomed-out-edges" aria-hidden="true">
        {lines.map((group, index) => (
          // Groups are positions in the edge list; an edge added or removed shifts the later ones.
          // biome-ignore lint/suspicious/noArrayIndexKey: a group is its place in the list
          <EdgeGroup key={index} lines={group} />
        ))}
      </svg>
    </ViewportPortal>
  );
});
