import type { AnalyticsSummary } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { errorMessage, getJson, isAbort } from '../api';
import {
  analyticsQuery,
  type DashboardFilters,
  type FilterKind,
  formatDuration,
  formatShare,
} from './analyticsQuery';
import { BarChart, Heatmap, TimeSeriesChart } from './charts';

const FILTER_KINDS: Array<[FilterKind, string]> = [
  ['none', 'Everything'],
  ['agentId', 'Agent id'],
  ['teamId', 'Team id'],
  ['tag', 'Tag'],
  ['businessNumberId', 'Business number'],
  ['workflowVersionId', 'Workflow version'],
];

function isoDate(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

function initialFilters(): DashboardFilters {
  // The page can be opened on a given range (links in report e-mails, the browser test).
  const params = new URLSearchParams(window.location.search);
  const today = new Date();
  const monthAgo = new Date(today);
  monthAgo.setDate(today.getDate() - 29);
  return {
    fromDate: params.get('from') ?? isoDate(monthAgo),
    toDate: params.get('to') ?? isoDate(today),
    kind: (params.get('kind') as FilterKind | null) ?? 'none',
    value: params.get('value') ?? '',
  };
}

export function AnalyticsPage() {
  const [filters, setFilters] = useState(initialFilters);
  const [summary, setSummary] = useState<AnalyticsSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const query = analyticsQuery(filters, timeZone);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    getJson<AnalyticsSummary>(`/api/analytics/summary?${query}`, controller.signal)
      .then(setSummary)
      .catch((caught) => {
        if (!isAbort(caught)) setError(errorMessage(caught));
      });
    return () => controller.abort();
  }, [query]);

  const update = (change: Partial<DashboardFilters>) => setFilters((current) => ({ ...current, ...change }));
  const totals = summary?.totals;
  return (
    <section className="page analytics" data-testid="analytics">
      <h1>Analytics</h1>
      <form className="analytics-filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          From{' '}
          <input
            type="date"
            value={filters.fromDate}
            onChange={(e) => update({ fromDate: e.target.value })}
          />
        </label>
        <label>
          To <input type="date" value={filters.toDate} onChange={(e) => update({ toDate: e.target.value })} />
        </label>
        <label>
          Filter
          <select value={filters.kind} onChange={(e) => update({ kind: e.target.value as FilterKind })}>
            {FILTER_KINDS.map(([kind, label]) => (
              <option key={kind} value={kind}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {filters.kind !== 'none' && (
          <input
            aria-label="Filter value"
            value={filters.value}
            onChange={(e) => update({ value: e.target.value })}
          />
        )}
        <a href={`/api/analytics/export.csv?${query}`} download>
          Export CSV
        </a>
        <span className="muted">{timeZone}</span>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {totals && summary && (
        <>
          <dl className="analytics-tiles">
            <Tile
              name="First response (avg)"
              value={formatDuration(totals.firstResponse.averageMs)}
              id="first-response"
            />
            <Tile name="Response (avg)" value={formatDuration(totals.response.averageMs)} id="response" />
            <Tile
              name="Resolution (avg)"
              value={formatDuration(totals.resolution.averageMs)}
              id="resolution"
            />
            <Tile
              name="Acknowledgement (avg)"
              value={formatDuration(totals.acknowledgement.averageMs)}
              id="acknowledgement"
            />
            <Tile name="SLA attainment" value={formatShare(totals.sla.attainment)} id="sla" />
            <Tile name="Backlog" value={String(totals.backlog)} id="backlog" />
            <Tile name="Inbound / outbound" value={`${totals.inbound} / ${totals.outbound}`} id="messages" />
            <Tile name="Reassignments" value={String(totals.reassignments)} id="reassignments" />
            <Tile name="Escalations" value={String(totals.escalations)} id="escalations" />
            <Tile
              name="Fairness (Gini)"
              value={
                summary.workload.fairness.gini === null ? '–' : summary.workload.fairness.gini.toFixed(2)
              }
              id="gini"
            />
          </dl>
          <TimeSeriesChart
            title="Per day: inbound messages and backlog"
            labels={summary.days.map((day) => day.date)}
            series={[
              { name: 'inbound', color: '#2563eb', values: summary.days.map((day) => day.inbound) },
              { name: 'backlog', color: '#ea580c', values: summary.days.map((day) => day.backlog) },
            ]}
          />
          <BarChart
            title="Assignments per agent"
            bars={summary.workload.agents.map((agent) => ({ label: agent.name, value: agent.assignments }))}
          />
          <BarChart
            title="Escalations by reason"
            bars={summary.escalations.map((row) => ({ label: row.reason, value: row.count }))}
          />
          <Heatmap title="Peak hours: inbound messages by weekday and hour" cells={summary.heatmap} />
        </>
      )}
    </section>
  );
}

function Tile({ name, value, id }: { name: string; value: string; id: string }) {
  return (
    <div className="analytics-tile" data-metric={id}>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}
