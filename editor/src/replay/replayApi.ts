export type ReplayStatus = 'queued' | 'running' | 'completed' | 'cancelled' | 'failed';

export type AgentLoad = { assigned: number; openAtEnd: number };

export type ShadowTotals = {
  events: number;
  conversations: number;
  conversationsChanged: number;
  assignmentsChanged: number;
  loadPerAgent: Record<string, { before: AgentLoad; after: AgentLoad }>;
  slaBreaches: { before: number; after: number };
  escalations: { before: number; after: number };
  effects: { before: Record<string, number>; after: Record<string, number> };
};

export type ReplayRun = {
  id: string;
  workflowId: string;
  targetVersionId: string | null;
  from: number;
  to: number;
  status: ReplayStatus;
  totalEvents: number;
  processedEvents: number;
  totals: ShadowTotals | null;
  error: string | null;
  createdAt: number;
  finishedAt: number | null;
};

export type ConversationOutcome = {
  assigneeId: string | null;
  teamId: string | null;
  tags: string[];
  escalations: number;
  slaBreaches: number;
};

export type ConversationComparison = {
  conversationId: string;
  before: ConversationOutcome;
  after: ConversationOutcome;
  recordedAssigneeId: string | null;
  differences: string[];
};

export const replaysUrl = (workflowId: string) => `/api/workflows/${encodeURIComponent(workflowId)}/replays`;
export const replayUrl = (runId: string) => `/api/replays/${encodeURIComponent(runId)}`;
