export type { ConversationComparison, ReplayRun, ShadowTotals } from '@switchboard/shared';

export const replaysUrl = (workflowId: string) => `/api/workflows/${encodeURIComponent(workflowId)}/replays`;
export const replayUrl = (runId: string) => `/api/replays/${encodeURIComponent(runId)}`;
