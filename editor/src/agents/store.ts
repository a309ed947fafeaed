import { create } from 'zustand';
import { type AgentSummary, errorMessage, fetchAgents } from '../api';

type AgentsState = {
  agents: AgentSummary[];
  loadState: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  load: () => Promise<void>;
};

/** Shared by the agent list and the inbox header, which both need names and statuses. */
export const useAgentsStore = create<AgentsState>()((set, get) => ({
  agents: [],
  loadState: 'idle',
  error: null,
  load: async () => {
    if (get().loadState === 'loading') return;
    set({ loadState: 'loading', error: null });
    try {
      set({ agents: await fetchAgents(), loadState: 'ready' });
    } catch (error) {
      set({ loadState: 'error', error: errorMessage(error) });
    }
  },
}));
