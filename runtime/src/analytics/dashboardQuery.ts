import { localTime } from '@switchboard/nodes';
import type {
  AnalyticsDay,
  AnalyticsFilters,
  AnalyticsSummary,
  DurationFigure,
  WorkloadRow,
} from '@switchboard/shared';
import type { AppDatabase } from '../db/database';

type Sums = Record<
  | 'inbound'
  | 'outbound'
  | 'opened'
  | 'closed'
  | 'first_responses'
  | 'first_response_ms'
  | 'responses'
  | 'response_ms'
  | 'resolutions'
  | 'resolution_ms'
  | 'acknowledgements'
  | 'acknowledgement_ms'
  | 'assignments'
  | 'reassignments'
  | 'sla_met'
  | 'sla_breached',
  number
>;
const SUMS = `sum(inbound) AS inbound, sum(outbound) AS outbound, sum(opened) AS opened, sum(closed) AS closed,
  sum(first_responses) AS first_responses, sum(first_response_ms) AS first_response_ms,
  sum(responses) AS responses, sum(response_ms) AS response_ms, sum(resolutions) AS resolutions,
  sum(resolution_ms) AS resolution_ms, sum(acknowledgements) AS acknowledgements,
  sum(acknowledgement_ms) AS acknowledgement_ms, sum(assignments) AS assignments,
  sum(reassignments) AS reassignments, sum(sla_met) AS sla_met, sum(sla_breached) AS sla_breached`;

/** Reads the rollups only: cost grows with hours × dimension combinations in range, not with messages. */
export function createDashboardQuery(db: AppDatabase) {
  const sqlite = db.$client;
  const agentNames = sqlite.prepare<[], { id: string; name: string }>(`SELECT id, name FROM agents`);
  // Fairness is measured over the people who take conversations: active team members. An admin who
  // is in no team (and so never assigned by a team strategy) would otherwise count as an idle agent.
  const assignable = sqlite
    .prepare<[], string>(
      `SELECT a.id FROM agents a WHERE a.deactivated_at IS NULL
        AND EXISTS (SELECT 1 FROM team_members m WHERE m.agent_id = a.id)`,
    )
    .pluck();
  const teamNames = sqlite.prepare<[], { id: string; name: string }>(`SELECT id, name FROM teams`);
  const teamMembers = sqlite
    .prepare<[string], string>(`SELECT agent_id FROM team_members WHERE team_id = ?`)
    .pluck();

  /** The one rollup dimension a filter selects (the schema allows at most one). */
  function dimensionOf(filters: AnalyticsFilters): [string, string] {
    if (filters.agentId) return ['agent', filters.agentId];
    if (filters.teamId) return ['team', filters.teamId];
    if (filters.tag) return ['tag', filters.tag];
    if (filters.businessNumberId) return ['number', filters.businessNumberId];
    if (filters.workflowVersionId) return ['version', filters.workflowVersionId];
    return ['all', ''];
  }

  return function summarize(filters: AnalyticsFilters): AnalyticsSummary {
    const [dimension, value] = dimensionOf(filters);
    const hours = sqlite
      .prepare(
        `SELECT bucket, ${SUMS} FROM analytics_hourly WHERE dimension = ? AND value = ? AND bucket >= ? AND bucket < ?
          GROUP BY bucket ORDER BY bucket`,
      )
      .all(dimension, value, filters.from, filters.to) as Array<Sums & { bucket: number }>;
    const history = sqlite
      .prepare(
        `SELECT sum(opened) AS opened, sum(closed) AS closed FROM analytics_hourly
          WHERE dimension = ? AND value = ? AND bucket < ?`,
      )
      .get(dimension, value, filters.from) as { opened: number | null; closed: number | null };
    // Workload per agent and team comes from their own rows: under a tag, number or version filter
    // it is the whole workspace's (the rollups do not cross dimensions; README says so).
    const workloadOf = (kind: 'agent' | 'team') =>
      sqlite
        .prepare(
          `SELECT value AS id, sum(assignments) AS assignments, sum(reassignments) AS reassignments
             FROM analytics_hourly WHERE dimension = ? AND bucket >= ? AND bucket < ? GROUP BY value`,
        )
        .all(kind, filters.from, filters.to) as Array<Omit<WorkloadRow, 'name'>>;
    const members = filters.teamId ? new Set(teamMembers.all(filters.teamId)) : null;
    const byAgent = workloadOf('agent').filter(
      (row) => (!filters.agentId || row.id === filters.agentId) && (!members || members.has(row.id)),
    );
    const byTeam = workloadOf('team').filter((row) => !filters.teamId || row.id === filters.teamId);
    const escalations = sqlite
      .prepare(
        `SELECT reason, sum(count) AS count FROM analytics_escalations
          WHERE dimension = ? AND value = ? AND bucket >= ? AND bucket < ?
          GROUP BY reason ORDER BY count DESC, reason`,
      )
      .all(dimension, value, filters.from, filters.to) as Array<{ reason: string; count: number }>;

    const totals = emptySums();
    const days = new Map<string, Sums>();
    const heatmap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    const localHour = createLocalHours(filters.timeZone);
    for (const hour of hours) {
      addInto(totals, hour);
      const local = localHour(hour.bucket);
      const day = days.get(local.date) ?? emptySums();
      addInto(day, hour);
      days.set(local.date, day);
      const row = heatmap[local.weekday];
      if (row) row[local.hour] = (row[local.hour] ?? 0) + hour.inbound;
    }
    let backlog = (history.opened ?? 0) - (history.closed ?? 0);
    const daySeries: AnalyticsDay[] = [...days].map(([date, sums]) => {
      backlog += sums.opened - sums.closed;
      return {
        date,
        inbound: sums.inbound,
        outbound: sums.outbound,
        opened: sums.opened,
        closed: sums.closed,
        firstResponseAverageMs: average(sums.first_response_ms, sums.first_responses),
        resolutionAverageMs: average(sums.resolution_ms, sums.resolutions),
        slaAttainment: ratio(sums.sla_met, sums.sla_met + sums.sla_breached),
        backlog,
      };
    });

    const names = new Map(agentNames.all().map((agent) => [agent.id, agent.name]));
    const scope = filters.agentId
      ? [filters.agentId]
      : members
        ? [...members]
        : [...new Set([...assignable.all(), ...byAgent.map((row) => row.id)])];
    const agents = byAgent.map((row) => ({ ...row, name: names.get(row.id) ?? row.id }));
    const loads = scope.map((id) => agents.find((agent) => agent.id === id)?.assignments ?? 0);
    const teams = new Map(teamNames.all().map((team) => [team.id, team.name]));
    return {
      filters,
      totals: {
        inbound: totals.inbound,
        outbound: totals.outbound,
        opened: totals.opened,
        closed: totals.closed,
        firstResponse: figure(totals.first_responses, totals.first_response_ms),
        response: figure(totals.responses, totals.response_ms),
        resolution: figure(totals.resolutions, totals.resolution_ms),
        acknowledgement: figure(totals.acknowledgements, totals.acknowledgement_ms),
        sla: {
          met: totals.sla_met,
          breached: totals.sla_breached,
          attainment: ratio(totals.sla_met, totals.sla_met + totals.sla_breached),
        },
        assignments: totals.assignments,
        reassignments: totals.reassignments,
        escalations: escalations.reduce((sum, row) => sum + row.count, 0),
        backlog: (history.opened ?? 0) - (history.closed ?? 0) + totals.opened - totals.closed,
      },
      days: daySeries,
      workload: {
        agents: agents.sort((a, b) => b.assignments - a.assignments || a.id.localeCompare(b.id)),
        teams: byTeam
          .map((row) => ({ ...row, name: teams.get(row.id) ?? row.id }))
          .sort((a, b) => b.assignments - a.assignments || a.id.localeCompare(b.id)),
        fairness: { gini: gini(loads), maxMinRatio: maxMinRatio(loads) },
      },
      escalations,
      heatmap,
    };
  };
}

const DAY_MS = 86_400_000;

/**
 * Local date, weekday and hour of UTC hour buckets. Intl is asked for the zone's offset twice per
 * UTC day (every hour only on a day the offset changes): a 90-day range is 180 Intl calls, not 2,160,
 * and Intl is what dominated a dashboard answer. Half-hour zones put a UTC hour in the local hour
 * it starts in.
 */
function createLocalHours(timeZone: string) {
  const offsetAt = (instant: number) => {
    const local = localTime(instant, timeZone);
    return Date.parse(`${local.date}T00:00:00Z`) + local.minuteOfDay * 60_000 - instant;
  };
  const dayOffsets = new Map<number, number | null>();
  return (bucket: number) => {
    const day = Math.floor(bucket / DAY_MS) * DAY_MS;
    let offset = dayOffsets.get(day);
    if (offset === undefined) {
      const first = offsetAt(day);
      offset = first === offsetAt(day + DAY_MS - 3_600_000) ? first : null;
      dayOffsets.set(day, offset);
    }
    const wall = new Date(bucket + (offset ?? offsetAt(bucket)));
    return { date: wall.toISOString().slice(0, 10), weekday: wall.getUTCDay(), hour: wall.getUTCHours() };
  };
}

/** Mean absolute difference over all pairs, halved and divided by the mean. */
export function gini(loads: number[]): number | null {
  const total = loads.reduce((sum, load) => sum + load, 0);
  if (loads.length === 0 || total === 0) return null;
  let differences = 0;
  for (const a of loads) for (const b of loads) differences += Math.abs(a - b);
  return differences / (2 * loads.length * total);
}

export function maxMinRatio(loads: number[]): number | null {
  if (loads.length === 0) return null;
  const min = Math.min(...loads);
  return min === 0 ? null : Math.max(...loads) / min;
}

function figure(count: number, totalMs: number): DurationFigure {
  return { count, averageMs: average(totalMs, count) };
}

function average(totalMs: number, count: number): number | null {
  return count === 0 ? null : Math.round(totalMs / count);
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function emptySums(): Sums {
  return {
    inbound: 0,
    outbound: 0,
    opened: 0,
    closed: 0,
    first_responses: 0,
    first_response_ms: 0,
    responses: 0,
    response_ms: 0,
    resolutions: 0,
    resolution_ms: 0,
    acknowledgements: 0,
    acknowledgement_ms: 0,
    assignments: 0,
    reassignments: 0,
    sla_met: 0,
    sla_breached: 0,
  };
}

function addInto(target: Sums, source: Sums): void {
  for (const key of Object.keys(target) as (keyof Sums)[]) target[key] += source[key] ?? 0;
}
