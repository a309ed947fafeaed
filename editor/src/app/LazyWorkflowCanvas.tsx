import type { WorkflowGraph } from '@switchboard/shared';
import { lazy, Suspense } from 'react';
import type { CanvasHighlight } from '../workflows/WorkflowCanvas';

// React Flow is most of the bundle; pages without a canvas never load it.
const WorkflowCanvas = lazy(() =>
  import('../workflows/WorkflowCanvas').then((m) => ({ default: m.WorkflowCanvas })),
);

/** The read-only workflow canvas, loaded on first use. */
export function LazyWorkflowCanvas(props: { graph: WorkflowGraph; highlight?: CanvasHighlight }) {
  return (
    <Suspense fallback={<div className="workflow-canvas workflow-canvas--loading">Loading graph…</div>}>
      <WorkflowCanvas {...props} />
    </Suspense>
  );
}
