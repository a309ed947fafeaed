import type { AnalyticsSummary } from '@switchboard/shared';

const HEADER = [
  'date',
  'inbound',
  'outbound',
  'opened',
  'closed',
  'first_response_avg_minutes',
  'resolution_avg_minutes',
  'sla_attainment_percent',
  'backlog',
];

/** One line per local day; empty cells where nothing was measured (not zero, which would be a value). */
export function summaryToCsv(summary: AnalyticsSummary): string {
  const lines = summary.days.map((day) =>
    [
      day.date,
      day.inbound,
      day.outbound,
      day.opened,
      day.closed,
      minutes(day.firstResponseAverageMs),
      minutes(day.resolutionAverageMs),
      day.slaAttainment === null ? '' : (day.slaAttainment * 100).toFixed(1),
      day.backlog,
    ].join(','),
  );
  return `${[HEADER.join(','), ...lines].join('\r\n')}\r\n`;
}

function minutes(ms: number | null): string {
  return ms === null ? '' : (ms / 60_000).toFixed(1);
}
