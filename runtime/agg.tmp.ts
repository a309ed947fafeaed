import { openDatabase } from './src/db/database';
import { createAnalyticsAggregator } from './src/analytics/aggregator';
const db = openDatabase('/tmp/switchboard.sqlite');
db.$client.exec(`DELETE FROM analytics_progress; DELETE FROM analytics_conversations; DELETE FROM analytics_hourly; DELETE FROM analytics_escalations;`);
const agg = createAnalyticsAggregator(db);
const t = performance.now();
const r = agg.catchUp(100);
console.log('catchUp', r, (performance.now() - t).toFixed(1), 'ms');
