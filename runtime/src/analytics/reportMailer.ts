import { instantOfWallClock, localTime } from '@switchboard/nodes';
import type { AnalyticsSummary } from '@switchboard/shared';
import type { Mailer } from '../effects/mailer';
import type { createDashboardQuery } from './dashboardQuery';
import type { ReportSubscription, ReportSubscriptions } from './reportSubscriptions';

const DAY = 86_400_000;

export interface ReportPeriod {
  /** Names the period by its first local day: "week of 2026-06-01", "2026-06". */
  key: string;
  label: string;
  from: number;
  to: number;
}

/**
 * The last complete week (Monday to Monday) or calendar month before `now`, on the subscriber's
 * local calendar, so a Berlin report covers Berlin's Monday 00:00 even across a clock change.
 */
export function lastCompletePeriod(
  period: 'weekly' | 'monthly',
  timeZone: string,
  now: number,
): ReportPeriod {
  const today = localTime(now, timeZone);
  const todayMidnight = Date.parse(`${today.date}T00:00:00Z`);
  let start: number;
  let end: number;
  if (period === 'weekly') {
    end = todayMidnight - ((today.weekday + 6) % 7) * DAY;
    start = end - 7 * DAY;
  } else {
    const date = new Date(todayMidnight);
    end = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1);
  }
  const iso = (midnight: number) => new Date(midnight).toISOString().slice(0, 10);
  return {
    key: period === 'weekly' ? `week of ${iso(start)}` : iso(start).slice(0, 7),
    label: period === 'weekly' ? `week of ${iso(start)} to ${iso(end - DAY)}` : iso(start).slice(0, 7),
    from: instantOfWallClock(start, 0, timeZone),
    to: instantOfWallClock(end, 0, timeZone),
  };
}

/** Sends each subscription's report once per period; a failed send is retried on the next call. */
export function createReportMailer(
  subscriptions: ReportSubscriptions,
  summarize: ReturnType<typeof createDashboardQuery>,
  mailer: Mailer,
) {
  return async function sendDueReports(now: number): Promise<number> {
    let sent = 0;
    for (const subscription of subscriptions.list()) {
      const period = lastCompletePeriod(subscription.period, subscription.timeZone, now);
      if (subscription.lastPeriod === period.key) continue;
      const summary = summarize({
        ...subscription.filters,
        from: period.from,
        to: period.to,
        timeZone: subscription.timeZone,
      });
      await mailer.send({
        to: subscription.email,
        subject: `Switchboard ${subscription.period} report: ${period.label}`,
        text: reportText(subscription, period, summary),
      });
      await subscriptions.markSent(subscription.id, period.key);
      sent++;
    }
    return sent;
  };
}

export function reportText(
  subscription: ReportSubscription,
  period: ReportPeriod,
  summary: AnalyticsSummary,
): string {
  const { totals, workload } = summary;
  const filters = Object.entries(subscription.filters)
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${value}`);
  const lines = [
    `Switchboard ${subscription.period} report, ${period.label} (${subscription.timeZone})`,
    filters.length > 0 ? `Filters: ${filters.join(', ')}` : 'All conversations',
    '',
    `Messages in / out: ${totals.inbound} / ${totals.outbound}`,
    `Conversations opened / closed: ${totals.opened} / ${totals.closed}; backlog at the end: ${totals.backlog}`,
    `First response, average: ${duration(totals.firstResponse.averageMs)} (${totals.firstResponse.count})`,
    `Response, average: ${duration(totals.response.averageMs)} (${totals.response.count})`,
    `Resolution, average: ${duration(totals.resolution.averageMs)} (${totals.resolution.count})`,
    `Acknowledgement, average: ${duration(totals.acknowledgement.averageMs)} (${totals.acknowledgement.count})`,
    `SLA attainment: ${totals.sla.attainment === null ? '–' : `${(totals.sla.attainment * 100).toFixed(1)} %`} (${totals.sla.met} met, ${totals.sla.breached} breached)`,
    `Assignments: ${totals.assignments}; reassignments: ${totals.reassignments}; escalations: ${totals.escalations}`,
    `Workload fairness (Gini, 0 = even): ${workload.fairness.gini === null ? '–' : workload.fairness.gini.toFixed(2)}`,
    '',
    'Assignments per agent:',
    ...workload.agents.map((agent) => `  ${agent.name}: ${agent.assignments}`),
  ];
  if (summary.escalations.length > 0)
    lines.push('', 'Escalations:', ...summary.escalations.map((row) => `  ${row.reason}: ${row.count}`));
  return `${lines.join('\n')}\n`;
}

function duration(ms: number | null): string {
  if (ms === null) return '–';
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}
