export type FilterKind = 'none' | 'agentId' | 'teamId' | 'tag' | 'businessNumberId' | 'workflowVersionId';

export interface DashboardFilters {
  /** Local dates, inclusive, "YYYY-MM-DD". */
  fromDate: string;
  toDate: string;
  kind: FilterKind;
  value: string;
}

/**
 * The query string for the summary and CSV endpoints. Dates are the browser's local midnights and
 * the browser's zone goes along, so the range and the charts' days are the viewer's own.
 */
export function analyticsQuery(filters: DashboardFilters, timeZone: string): string {
  const from = new Date(`${filters.fromDate}T00:00:00`).getTime();
  const end = new Date(`${filters.toDate}T00:00:00`);
  end.setDate(end.getDate() + 1);
  const to = end.getTime();
  const params = new URLSearchParams({ from: String(from), to: String(to), timeZone });
  if (filters.kind !== 'none' && filters.value.trim()) params.set(filters.kind, filters.value.trim());
  return params.toString();
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  const minutes = ms / 60_000;
  return minutes < 120 ? `${minutes.toFixed(1)} min` : `${(minutes / 60).toFixed(1)} h`;
}

export function formatShare(share: number | null): string {
  return share === null ? '–' : `${(share * 100).toFixed(1)} %`;
}
