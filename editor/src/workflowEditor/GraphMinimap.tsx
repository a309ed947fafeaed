import { findNodeType } from '@switchboard/nodes';
import { Panel, useStore as useFlowStore, useReactFlow, useStoreApi } from '@xyflow/react';
import { type PointerEvent, useEffect, useRef, type WheelEvent } from 'react';
import { ESTIMATED_CARD } from './cardGeometry';
import { useDraft } from './draftContext';
import type { EditorFlowNode } from './flowModel';

const WIDTH = 200;
const HEIGHT = 150;
const UNKNOWN_COLOR = '#d0d5dd';
const MASK_COLOR = 'rgba(240, 242, 245, 0.7)';
const VIEW_STROKE = '#98a2b3';

/** How flow coordinates map onto the minimap, kept for turning a click back into a flow point. */
type Projection = { x: number; y: number; scale: number; offsetX: number; offsetY: number };

/**
 * The whole workflow in miniature, with the part on screen framed; drag or click to move the view,
 * scroll to zoom. Drawn on one canvas from the draft graph: React Flow's minimap renders a
 * component per node, each subscribed to its store, which for a 1,000-node graph is a thousand
 * more checks on every frame of a drag.
 */
export function GraphMinimap({ measuredSizes }: { measuredSizes: unknown }) {
  const nodes = useDraft((s) => s.graph.nodes);
  const [tx, ty, zoom] = useFlowStore((s) => s.transform);
  const viewWidth = useFlowStore((s) => s.width);
  const viewHeight = useFlowStore((s) => s.height);
  const flowStore = useStoreApi<EditorFlowNode>();
  const flow = useReactFlow();
  const canvas = useRef<HTMLCanvasElement>(null);
  const projection = useRef<Projection | null>(null);
  const panning = useRef(false);

  useEffect(() => {
    void measuredSizes;
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const ratio = window.devicePixelRatio || 1;
    if (canvas.current && canvas.current.width !== WIDTH * ratio) {
      canvas.current.width = WIDTH * ratio;
      canvas.current.height = HEIGHT * ratio;
    }
    const { nodeLookup } = flowStore.getState();
    const view = { x: -tx / zoom, y: -ty / zoom, width: viewWidth / zoom, height: viewHeight / zoom };
    let minX = view.x;
    let minY = view.y;
    let maxX = view.x + view.width;
    let maxY = view.y + view.height;
    const boxes = nodes.map((node) => {
      const measured = nodeLookup.get(node.id)?.measured;
      const box = {
        x: node.position.x,
        y: node.position.y,
        width: measured?.width ?? ESTIMATED_CARD.width,
        height: measured?.height ?? ESTIMATED_CARD.height,
        color: findNodeType(node.type)?.color ?? UNKNOWN_COLOR,
      };
      minX = Math.min(minX, box.x);
      minY = Math.min(minY, box.y);
      maxX = Math.max(maxX, box.x + box.width);
      maxY = Math.max(maxY, box.y + box.height);
      return box;
    });
    const padding = 5;
    const scale = Math.max((maxX - minX) / (WIDTH - 2 * padding), (maxY - minY) / (HEIGHT - 2 * padding));
    const offsetX = (WIDTH - (maxX - minX) / scale) / 2;
    const offsetY = (HEIGHT - (maxY - minY) / scale) / 2;
    projection.current = { x: minX, y: minY, scale, offsetX, offsetY };
    const toX = (x: number) => offsetX + (x - minX) / scale;
    const toY = (y: number) => offsetY + (y - minY) / scale;

    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, WIDTH, HEIGHT);
    for (const box of boxes) {
      context.fillStyle = box.color;
      context.fillRect(
        toX(box.x),
        toY(box.y),
        Math.max(1, box.width / scale),
        Math.max(1, box.height / scale),
      );
    }
    const left = toX(view.x);
    const top = toY(view.y);
    const right = toX(view.x + view.width);
    const bottom = toY(view.y + view.height);
    context.fillStyle = MASK_COLOR;
    context.fillRect(0, 0, WIDTH, top);
    context.fillRect(0, bottom, WIDTH, HEIGHT - bottom);
    context.fillRect(0, top, left, bottom - top);
    context.fillRect(right, top, WIDTH - right, bottom - top);
    context.strokeStyle = VIEW_STROKE;
    context.lineWidth = 1;
    context.strokeRect(left + 0.5, top + 0.5, right - left - 1, bottom - top - 1);
    canvas.current?.setAttribute('data-drawn', String(nodes.length));
  }, [nodes, tx, ty, zoom, viewWidth, viewHeight, flowStore, measuredSizes]);

  const centreOn = (event: PointerEvent<HTMLCanvasElement>) => {
    const at = projection.current;
    const target = canvas.current?.getBoundingClientRect();
    if (!at || !target) return;
    const x = at.x + (event.clientX - target.left - at.offsetX) * at.scale;
    const y = at.y + (event.clientY - target.top - at.offsetY) * at.scale;
    void flow.setViewport({ x: viewWidth / 2 - x * zoom, y: viewHeight / 2 - y * zoom, zoom });
  };

  const onWheel = (event: WheelEvent<HTMLCanvasElement>) => {
    if (event.deltaY < 0) void flow.zoomIn({ duration: 0 });
    else if (event.deltaY > 0) void flow.zoomOut({ duration: 0 });
  };

  return (
    <Panel position="bottom-right" className="editor-minimap">
      <canvas
        ref={canvas}
        style={{ width: WIDTH, height: HEIGHT }}
        role="img"
        aria-label="Minimap of the whole workflow: drag to move the view, scroll to zoom"
        data-testid="editor-minimap"
        className="nowheel"
        onPointerDown={(event) => {
          panning.current = true;
          event.currentTarget.setPointerCapture(event.pointerId);
          centreOn(event);
        }}
        onPointerMove={(event) => {
          if (panning.current) centreOn(event);
        }}
        onPointerUp={() => {
          panning.current = false;
        }}
        onWheel={onWheel}
      />
    </Panel>
  );
}
