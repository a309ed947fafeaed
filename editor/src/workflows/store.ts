import { create } from 'zustand';
import { errorMessage, fetchWorkflows, type WorkflowSummary } from '../api';
import { draftApi, type WorkflowOverview } from '../workflowEditor/draftApi';

type LoadState = 'idle' | 'loading' | 'ready' | 'error';

type WorkflowsState = {
  workflows: WorkflowSummary[];
  /** Drafts, last edits and execution counts by workflow id; empty when the runtime cannot say. */
  overview: ReadonlyMap<string, WorkflowOverview>;
  loadState: LoadState;
  error: string | null;
  /** Null means "the first workflow", so the default follows the list when it reloads. */
  selectedId: string | null;
  load: () => Promise<void>;
  select: (id: string) => void;
};

export const useWorkflowsStore = create<WorkflowsState>()((set, get) => ({
  workflows: [],
  overview: new Map(),
  loadState: 'idle',
  error: null,
  selectedId: null,
  load: async () => {
    // StrictMode mounts effects twice; one request is enough.
    if (get().loadState === 'loading') return;
    set({ loadState: 'loading', error: null });
    try {
      const [workflows, overview] = await Promise.all([
        fetchWorkflows(),
        draftApi.overview().catch(() => [] as WorkflowOverview[]),
      ]);
      set({ workflows, overview: new Map(overview.map((o) => [o.id, o])), loadState: 'ready' });
    } catch (error) {
      set({ loadState: 'error', error: errorMessage(error) });
    }
  },
  select: (id) => set({ selectedId: id }),
}));

/** The selected workflow, falling back to the first one; returns a stored object, so it is selector-safe. */
export function selectCurrentWorkflow(state: WorkflowsState): WorkflowSummary | null {
  const chosen =
    state.selectedId === null ? undefined : state.workflows.find((w) => w.id === state.selectedId);
  return chosen ?? state.workflows[0] ?? null;
}
