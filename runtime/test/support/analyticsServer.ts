import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { createAnalyticsAggregator } from '../../src/analytics/aggregator';
import { analyticsRoutes } from '../../src/analytics/analyticsRoutes';
import { createReportSubscriptions } from '../../src/analytics/reportSubscriptions';
import type { AppDatabase } from '../../src/db/database';
import { createSlaPolicyStore } from '../../src/sla/slaPolicyStore';
import { slaRoutes } from '../../src/sla/slaRoutes';
import { dryRunRoutes } from '../../src/workflows/dryRunRoutes';
import { accessApp } from './accessApp';

export const EDITOR_DIST = join(import.meta.dirname, '../../../editor/dist');

/** Browser tests need the built editor: without it the pages are missing and every test only times out. */
export function assertEditorBuilt(): void {
  if (!existsSync(join(EDITOR_DIST, 'index.html')))
    throw new Error('build the editor first: node scripts/pnpm.mjs --filter @switchboard/editor build');
}

/** The built editor, the analytics and SLA policy routes and the editor's lookups over `db`: no Temporal. */
export async function startAnalyticsServer(db: AppDatabase) {
  assertEditorBuilt();
  // Behind the app's own access control and sign-in (demo people), as the dashboard is in the app.
  const http = await accessApp(db, {
    register: async (app) => {
      await app.register(analyticsRoutes, {
        db,
        aggregator: createAnalyticsAggregator(db),
        reports: createReportSubscriptions(db),
      });
      await app.register(slaRoutes, { db, policies: createSlaPolicyStore(db) });
      await app.register(dryRunRoutes, { db });
      await app.register(fastifyStatic, { root: EDITOR_DIST, wildcard: false });
      app.get('/analytics', (_request, reply) => reply.sendFile('index.html'));
      app.get('/analytics/sla', (_request, reply) => reply.sendFile('index.html'));
    },
  });
  await http.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`,
    close: () => http.close(),
  };
}
