import { z } from 'zod';
import { timeZoneSchema } from './timeZone';

const DAY = 86_400_000;
const optionalId = z.string().trim().min(1).max(200).optional();

export const ANALYTICS_FILTER_FIELDS = [
  'agentId',
  'teamId',
  'tag',
  'businessNumberId',
  'workflowVersionId',
] as const;

/** Dashboard filters, as query-string fields. `from`/`to` are epoch ms; `to` is exclusive. */
export const analyticsFiltersSchema = z
  .object({
    from: z.coerce.number({ error: 'from must be epoch milliseconds' }).int().min(0),
    to: z.coerce.number({ error: 'to must be epoch milliseconds' }).int().min(0),
    timeZone: timeZoneSchema.default('UTC'),
    agentId: optionalId,
    teamId: optionalId,
    tag: optionalId,
    businessNumberId: optionalId,
    workflowVersionId: optionalId,
  })
  .refine((filters) => filters.to > filters.from, { message: 'to must be after from', path: ['to'] })
  .superRefine((filters, context) => {
    // Rollups are kept per single dimension, which is what keeps every answer a short range scan.
    const given = ANALYTICS_FILTER_FIELDS.filter((field) => filters[field]);
    if (given.length > 1)
      context.addIssue({
        code: 'custom',
        message: `filter by one of ${given.join(', ')} at a time`,
        path: [given[1] ?? 'tag'],
      });
  })
  .refine((filters) => filters.to - filters.from <= 400 * DAY, {
    message: 'choose a range of at most 400 days',
    path: ['to'],
  });
export type AnalyticsFilters = z.infer<typeof analyticsFiltersSchema>;

export interface DurationFigure {
  count: number;
  /** Null when nothing was counted. */
  averageMs: number | null;
}

export interface AnalyticsDay {
  /** Local date in the dashboard's time zone. */
  date: string;
  inbound: number;
  outbound: number;
  opened: number;
  closed: number;
  firstResponseAverageMs: number | null;
  resolutionAverageMs: number | null;
  slaAttainment: number | null;
  /** Open conversations at the end of the day. */
  backlog: number;
}

export interface WorkloadRow {
  id: string;
  name: string;
  assignments: number;
  reassignments: number;
}

export interface AnalyticsSummary {
  filters: AnalyticsFilters;
  totals: {
    inbound: number;
    outbound: number;
    opened: number;
    closed: number;
    firstResponse: DurationFigure;
    response: DurationFigure;
    resolution: DurationFigure;
    acknowledgement: DurationFigure;
    sla: { met: number; breached: number; attainment: number | null };
    assignments: number;
    reassignments: number;
    escalations: number;
    /** Open at the end of the range. */
    backlog: number;
  };
  days: AnalyticsDay[];
  workload: {
    agents: WorkloadRow[];
    teams: WorkloadRow[];
    /**
     * Over the agents in scope (the team's members, or every agent), counting those with no
     * assignment: Gini 0 = perfectly even, → 1 = one agent gets everything; max/min null when
     * someone got none.
     */
    fairness: { gini: number | null; maxMinRatio: number | null };
  };
  escalations: Array<{ reason: string; count: number }>;
  /** Inbound messages by local weekday (0 = Sunday) × hour. */
  heatmap: number[][];
}
