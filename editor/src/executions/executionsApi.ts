export type { ExecutionStep, ExecutionSummary, ExecutionTrace } from '@switchboard/shared';

export type ExecutionFilters = {
  workflowId: string;
  versionId: string;
  status: string;
  conversationId: string;
  from: string;
  to: string;
};

/** Query string of the list; empty filters are left out, datetime-local values become epoch ms. */
export function executionsUrl(filters: ExecutionFilters, cursor: string | null, limit = 25): string {
  const query = new URLSearchParams({ limit: String(limit) });
  for (const key of ['workflowId', 'versionId', 'status', 'conversationId'] as const) {
    if (filters[key]) query.set(key, filters[key]);
  }
  for (const key of ['from', 'to'] as const) {
    const at = filters[key] ? new Date(filters[key]).getTime() : Number.NaN;
    if (Number.isFinite(at)) query.set(key, String(at));
  }
  if (cursor) query.set('cursor', cursor);
  return `/api/executions?${query}`;
}

export const executionUrl = (executionId: string) => `/api/executions/${encodeURIComponent(executionId)}`;
