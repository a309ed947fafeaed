import type { CanvasHighlight } from '../workflows/WorkflowCanvas';
import type { ExecutionStep } from './executionsApi';

/** Nodes the execution passed through, the one it stands on now, and any that failed. */
export function traceHighlight(steps: ExecutionStep[]): CanvasHighlight {
  const nodes = new Map<string, string>();
  for (const step of steps) nodes.set(step.nodeId, 'visited');
  const last = steps[steps.length - 1];
  const stoppedAt = ['waiting', 'moved', 'cancelled', 'terminated'];
  if (last && stoppedAt.includes(last.status)) nodes.set(last.nodeId, 'current');
  for (const step of steps) if (step.status === 'failed') nodes.set(step.nodeId, 'failed');
  return { nodes };
}
