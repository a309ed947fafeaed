import type { WorkflowGraph } from '@switchboard/shared';
import { ReconstructedWorld } from './reconstructedWorld';
import type { RecordedHistory } from './recordedHistory';
import { compareOutcomes } from './shadowComparison';
import { ShadowPass } from './shadowRun';

export interface ShadowReplayRequest {
  workflowId: string;
  /** A published version of the workflow, or a draft graph (versionId null). */
  target: { versionId: string | null; graph: WorkflowGraph };
  from: number;
  to: number;
}

/** The version id a draft's executions carry in a replay; never a real version's id (UUIDs). */
export const DRAFT_VERSION_ID = 'draft';

/**
 * A shadow replay in steps, so a background job can report progress and stop between them: two
 * dry-run passes over the same recorded events, one through the versions they were routed with
 * (the baseline), one through the target, each against its own copy of the reconstructed world.
 * The baseline is re-simulated rather than read back so that both sides share every assumption
 * and a difference comes from the graph alone; the real assignee is kept beside it as a check.
 */
export function createShadowReplay(history: RecordedHistory, request: ShadowReplayRequest) {
  const { from, to } = request;
  const graphs = history.versionGraphs(request.workflowId);
  const targetId = request.target.versionId ?? DRAFT_VERSION_ID;
  const snapshot = history.worldAt(from, to);
  const baseline = new ShadowPass((id) => graphs.get(id) ?? null, new ReconstructedWorld(snapshot));
  const target = new ShadowPass(
    (id) => (id === targetId ? request.target.graph : (graphs.get(id) ?? null)),
    new ReconstructedWorld(snapshot),
    (event) => (event.workflowVersionId && graphs.has(event.workflowVersionId) ? targetId : null),
  );
  const closes = history.closesIn(from, to);
  let nextClose = 0;
  let afterSeq = 0;
  let read = 0;
  let done = false;

  return {
    total: history.countEvents(from, to),
    get processed() {
      return read;
    },
    /** Replays up to `maxEvents` more recorded events; true once the range is exhausted. */
    advance(maxEvents: number): boolean {
      if (done) return true;
      const page = history.eventsPage(from, to, afterSeq, maxEvents);
      for (const { event, at } of page) {
        afterSeq = event.seq;
        read += 1;
        for (; nextClose < closes.length && (closes[nextClose]?.at ?? 0) <= at; nextClose++) {
          const close = closes[nextClose];
          if (!close) continue;
          baseline.closedAt(close.conversationId, close.at);
          target.closedAt(close.conversationId, close.at);
        }
        // Another workflow's traffic (or none published then): not this replay's business.
        if (!event.workflowVersionId || !graphs.has(event.workflowVersionId)) continue;
        baseline.feed(event, at);
        target.feed(event, at);
      }
      if (page.length < maxEvents) {
        baseline.finish(to);
        target.finish(to);
        done = true;
      }
      return done;
    },
    result() {
      return compareOutcomes(baseline, target, history.recordedAssignees(from, to));
    },
  };
}

export type ShadowReplay = ReturnType<typeof createShadowReplay>;
