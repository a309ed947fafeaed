import { analyticsFiltersSchema } from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import { parseWith } from '../api/parseWith';
import type { AppDatabase } from '../db/database';
import type { AnalyticsAggregator } from './aggregator';
import { summaryToCsv } from './analyticsCsv';
import { createDashboardQuery } from './dashboardQuery';
import { type ReportSubscriptions, reportSubscriptionInputSchema } from './reportSubscriptions';

/** Batches a dashboard request folds before it answers: up to 5,000 rows per source, as before. */
const REQUEST_BATCHES = 10;

export interface AnalyticsRoutesOptions {
  db: AppDatabase;
  aggregator: AnalyticsAggregator;
  reports: ReportSubscriptions;
}

/** Dashboard figures, CSV export and report subscriptions. Own file: auth hooks get added at merge. */
export const analyticsRoutes: FastifyPluginAsync<AnalyticsRoutesOptions> = async (app, options) => {
  const summarize = createDashboardQuery(options.db);

  app.get('/api/analytics/summary', async (request) => {
    const filters = parseWith(analyticsFiltersSchema, request.query);
    // Folding what is new first keeps the figures current; between ticks that is a few rows.
    options.aggregator.catchUp(REQUEST_BATCHES);
    return summarize(filters);
  });

  app.get('/api/analytics/export.csv', async (request, reply) => {
    const filters = parseWith(analyticsFiltersSchema, request.query);
    options.aggregator.catchUp(REQUEST_BATCHES);
    const from = new Date(filters.from).toISOString().slice(0, 10);
    const to = new Date(filters.to).toISOString().slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="switchboard-${from}-${to}.csv"`)
      .send(summaryToCsv(summarize(filters)));
  });

  app.get('/api/analytics/reports', async () => ({ reports: options.reports.list() }));

  app.post('/api/analytics/reports', async (request, reply) => {
    const input = parseWith(reportSubscriptionInputSchema, request.body);
    return reply.status(201).send(await options.reports.create(input, Date.now()));
  });

  app.delete<{ Params: { id: string } }>('/api/analytics/reports/:id', async (request, reply) => {
    if (!(await options.reports.remove(request.params.id)))
      return reply.status(404).send({
        error: { code: 'report_not_found', message: `no report "${request.params.id}"`, field: 'id' },
      });
    return reply.status(204).send();
  });
};
