import {
  Background,
  ControlButton,
  Controls,
  type DefaultEdgeOptions,
  type Dimensions,
  type Edge,
  type EdgeChange,
  MarkerType,
  type NodeChange,
  type OnConnect,
  type OnConnectEnd,
  ReactFlow,
  ReactFlowProvider,
  useStore as useFlowStore,
  useReactFlow,
} from '@xyflow/react';
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ESTIMATED_CARD, estimatedHandles } from './cardGeometry';
import { useDraft, useDraftStore } from './draftContext';
import { editorNodeTypes } from './EditorNodes';
import { badgesByNode, createFlowModel, type EditorFlowNode, type TrailStatus } from './flowModel';
import { GraphMinimap } from './GraphMinimap';
import { connectionProblem, isTrigger } from './graphEdits';
import { ZoomedOutEdges } from './ZoomedOutEdges';

export const PALETTE_MIME = 'application/x-switchboard-node-type';

const defaultEdgeOptions: DefaultEdgeOptions = {
  type: 'smoothstep',
  markerEnd: { type: MarkerType.ArrowClosed },
};

/**
 * Above this many nodes the canvas opens on the first trigger at a readable zoom instead of
 * fitting everything: drawing a thousand cards at 5% zoom costs seconds and shows nothing legible,
 * while only the cards on screen are rendered otherwise. The minimap and fit-view button remain.
 */
export const LARGE_GRAPH_NODES = 300;

// A graph of one or two cards should not open at twice their size.
const fitViewOptions = { maxZoom: 1 };

const NO_TRAIL: ReadonlyMap<string, TrailStatus> = new Map();
const NO_EDGES: ReadonlySet<string> = new Set();
/** What React Flow draws of the edges when zoomed out: nothing, ZoomedOutEdges does. */
const NO_FLOW_EDGES: Edge[] = [];

export type CanvasTrail = { nodes: ReadonlyMap<string, TrailStatus>; edges: ReadonlySet<string> };

function useFlowElements(trail: CanvasTrail | null) {
  const graph = useDraft((s) => s.graph);
  const problems = useDraft((s) => s.validation.problems);
  const selectedNodeIds = useDraft((s) => s.selectedNodeIds);
  const selectedEdgeIds = useDraft((s) => s.selectedEdgeIds);
  const model = useMemo(createFlowModel, []);
  const badges = useMemo(() => badgesByNode(problems), [problems]);
  const nodes = useMemo(
    () => model.nodes(graph, badges, selectedNodeIds, trail?.nodes ?? NO_TRAIL),
    [model, graph, badges, selectedNodeIds, trail],
  );
  // Keyed on the edge list, not the graph: a drag moves nodes only, and a new edges array makes
  // React Flow rebuild its connection lookup for all 1,200 edges every frame.
  const graphEdges = useDraft((s) => s.graph.edges);
  const edges = useMemo(
    () => model.edges(graphEdges, selectedEdgeIds, trail?.edges ?? NO_EDGES),
    [model, graphEdges, selectedEdgeIds, trail],
  );
  return { nodes, edges };
}

/**
 * React Flow renders every node it has not measured yet, even with onlyRenderVisibleElements, to
 * find its handles: a 1,000-node graph would mount 1,000 cards to show 35. Unmeasured nodes of a
 * large graph therefore come with an estimated size and handles; once a card is drawn and measured,
 * the estimates are dropped and React Flow uses what it measured.
 */
function withEstimate(node: EditorFlowNode): EditorFlowNode {
  const handles = estimatedHandles(node.data.usedHandles, node.type !== 'trigger');
  return { ...node, initialWidth: ESTIMATED_CARD.width, initialHeight: ESTIMATED_CARD.height, handles };
}

/** Sizes React Flow measured; view state, so kept here and not in the draft store. */
function useMeasured(nodes: EditorFlowNode[], estimate: boolean) {
  const [sizes, setSizes] = useState<ReadonlyMap<string, Dimensions>>(() => new Map());
  const cache = useRef(new Map<EditorFlowNode, EditorFlowNode>());
  const record = useCallback((changes: NodeChange<EditorFlowNode>[]) => {
    setSizes((previous) => {
      let next: Map<string, Dimensions> | null = null;
      for (const change of changes) {
        if (change.type !== 'dimensions' || !change.dimensions) continue;
        const old = previous.get(change.id);
        if (old && old.width === change.dimensions.width && old.height === change.dimensions.height) continue;
        next ??= new Map(previous);
        next.set(change.id, change.dimensions);
      }
      return next ?? previous;
    });
  }, []);
  const measured = useMemo(() => {
    const next = new Map<EditorFlowNode, EditorFlowNode>();
    const result = nodes.map((node) => {
      const size = sizes.get(node.id);
      if (!size && !estimate) return node;
      const previous = cache.current.get(node);
      let shown: EditorFlowNode;
      if (!size) shown = previous && !previous.measured ? previous : withEstimate(node);
      else if (previous?.measured?.width === size.width && previous.measured.height === size.height)
        shown = previous;
      else shown = { ...node, measured: size };
      next.set(node, shown);
      return shown;
    });
    cache.current = next;
    return result;
  }, [nodes, sizes, estimate]);
  return { nodes: measured, record, sizes };
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/** Delete, copy/cut/paste, undo/redo, select all and layout, unless the manager is typing in a field. */
function useShortcuts() {
  const store = useDraftStore();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (isTyping(event.target)) return;
      const s = store.getState();
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      let handled = true;
      if (key === 'delete' || key === 'backspace') s.deleteSelection();
      else if (mod && key === 'z' && event.shiftKey) s.redo();
      else if (mod && key === 'z') s.undo();
      else if (mod && key === 'y') s.redo();
      else if (mod && key === 'c') s.copySelection();
      else if (mod && key === 'x') s.cutSelection();
      else if (mod && key === 'v') s.paste();
      else if (mod && key === 'a') s.selectAll();
      else if (event.shiftKey && key === 'l') s.layout();
      else handled = false;
      if (handled) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);
}

/**
 * Below this zoom card text is unreadable and edges are hairlines: the text is not painted and the
 * edges are drawn by ZoomedOutEdges, which keeps a fully zoomed-out graph fluid.
 */
const LEGIBLE_ZOOM = 0.3;

function CanvasView({ trail }: { trail: CanvasTrail | null }) {
  const zoomedOut = useFlowStore((s) => s.transform[2] < LEGIBLE_ZOOM);
  const store = useDraftStore();
  const flow = useReactFlow();
  const { nodes: derived, edges } = useFlowElements(trail);
  const nodeCountAtOpen = useState(() => store.getState().graph.nodes.length)[0];
  const { nodes, record, sizes } = useMeasured(derived, nodeCountAtOpen > LARGE_GRAPH_NODES);
  const focus = useDraft((s) => s.focus);
  const nodeCount = useDraft((s) => s.graph.nodes.length);
  const [initialViewport] = useState(() => {
    const { graph } = store.getState();
    if (graph.nodes.length <= LARGE_GRAPH_NODES) return null;
    const start = graph.nodes.find((n) => isTrigger(n)) ?? graph.nodes[0];
    const zoom = 0.8;
    return { x: 80 - (start?.position.x ?? 0) * zoom, y: 120 - (start?.position.y ?? 0) * zoom, zoom };
  });
  useShortcuts();

  // A large graph is drawn first and validated once it is on screen (see VALIDATE_AFTER_DRAWING_NODES).
  useEffect(() => {
    const frame = requestAnimationFrame(() => setTimeout(() => store.getState().validateLoaded(), 0));
    return () => cancelAnimationFrame(frame);
  }, [store]);

  const onNodesChange = useCallback(
    (changes: NodeChange<EditorFlowNode>[]) => {
      record(changes);
      const s = store.getState();
      const positions = new Map<string, { x: number; y: number }>();
      let selection: Set<string> | null = null;
      for (const change of changes) {
        if (change.type === 'position' && change.position) positions.set(change.id, change.position);
        if (change.type === 'select') {
          selection ??= new Set(s.selectedNodeIds);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (positions.size > 0) s.dragNodes(positions);
      if (selection) s.setSelection(selection, s.selectedEdgeIds);
    },
    [store, record],
  );

  // Stable, like every handler passed to React Flow: it copies each changed prop into its store
  // with a separate update, and each update re-runs the selectors of every card on the canvas.
  const onNodeDragStart = useCallback(() => store.getState().beginDrag(), [store]);

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const s = store.getState();
      let selection: Set<string> | null = null;
      for (const change of changes) {
        if (change.type !== 'select') continue;
        selection ??= new Set(s.selectedEdgeIds);
        if (change.selected) selection.add(change.id);
        else selection.delete(change.id);
      }
      if (selection) s.setSelection(s.selectedNodeIds, selection);
    },
    [store],
  );

  const onConnect: OnConnect = useCallback(
    (connection) => {
      store.getState().connect({
        source: connection.source,
        sourceHandle: connection.sourceHandle ?? 'out',
        target: connection.target,
      });
    },
    [store],
  );

  // React Flow drops a refused connection silently; the manager should learn which rule refused it.
  const onConnectEnd: OnConnectEnd = useCallback(
    (_event, state) => {
      if (state.isValid !== false || !state.fromHandle || !state.toNode) return;
      if (state.fromHandle.type !== 'source') return;
      store.getState().connect({
        source: state.fromHandle.nodeId,
        sourceHandle: state.fromHandle.id ?? 'out',
        target: state.toNode.id,
      });
    },
    [store],
  );

  const isValidConnection = useCallback(
    (connection: { source: string; target: string; sourceHandle?: string | null }) =>
      connectionProblem(store.getState().graph, {
        source: connection.source,
        sourceHandle: connection.sourceHandle ?? 'out',
        target: connection.target,
      }) === null,
    [store],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!type) return;
      event.preventDefault();
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      store.getState().addNode(type, { x: position.x - 110, y: position.y - 30 });
    },
    [flow, store],
  );

  // React Flow's own fit only counts cards it has measured; a large graph has measured only those
  // on screen, so the bounds come from the graph itself.
  const fitAll = useCallback(() => {
    const { nodes: all } = store.getState().graph;
    if (all.length === 0) return;
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (const node of all) {
      minX = Math.min(minX, node.position.x);
      minY = Math.min(minY, node.position.y);
      maxX = Math.max(maxX, node.position.x + ESTIMATED_CARD.width);
      maxY = Math.max(maxY, node.position.y + ESTIMATED_CARD.height);
    }
    void flow.fitBounds({ x: minX, y: minY, width: maxX - minX, height: maxY - minY }, { padding: 0.1 });
  }, [flow, store]);

  useEffect(() => {
    if (!focus) return;
    const node = store.getState().graph.nodes.find((n) => n.id === focus.nodeId);
    if (node) void flow.setCenter(node.position.x + 110, node.position.y + 50, { zoom: 1.1, duration: 250 });
  }, [focus, flow, store]);

  return (
    <div
      className="editor-canvas"
      data-testid="editor-canvas"
      role="application"
      aria-label="Workflow canvas"
      data-zoomed-out={zoomedOut || undefined}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <ReactFlow
        nodes={nodes}
        edges={zoomedOut ? NO_FLOW_EDGES : edges}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStart={onNodeDragStart}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        nodeTypes={editorNodeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        // Past a few hundred nodes, drawing what is off screen costs more than it shows.
        onlyRenderVisibleElements={nodeCount > LARGE_GRAPH_NODES}
        fitView={initialViewport === null}
        fitViewOptions={fitViewOptions}
        {...(initialViewport ? { defaultViewport: initialViewport } : {})}
        minZoom={0.05}
        maxZoom={2}
      >
        <Background gap={20} />
        {zoomedOut && <ZoomedOutEdges edges={edges} measuredSizes={sizes} />}
        <GraphMinimap measuredSizes={sizes} />
        <Controls showFitView={false}>
          <ControlButton
            onClick={fitAll}
            title="Fit the whole workflow"
            aria-label="fit view"
            className="fit-all"
          >
            ⤢
          </ControlButton>
        </Controls>
      </ReactFlow>
    </div>
  );
}

/** Needs a ReactFlowProvider above it (the editor page has one, so the palette can share the viewport). */
export function EditorCanvas({ trail = null }: { trail?: CanvasTrail | null }) {
  return <CanvasView trail={trail} />;
}

export { ReactFlowProvider };
