import { slaPolicyInputSchema } from '@switchboard/nodes';
import { waWebhookSchema } from '@switchboard/shared';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startAnalyticsTicker } from '../../src/analytics/analyticsTicker';
import { createReportSubscriptions } from '../../src/analytics/reportSubscriptions';
import { createRoutedEventQueue } from '../../src/conversations/routedEventQueue';
import type { AppDatabase } from '../../src/db/database';
import { DEMO_BUSINESS_NUMBER_ID, seedDemoWorkspace } from '../../src/demo/seedDemo';
import { createSlaPolicyStore, type SlaPolicyStore } from '../../src/sla/slaPolicyStore';
import { inboundTextWebhook } from '../../src/whatsapp/inboundPayloads';
import { createWebhookIngest } from '../../src/whatsapp/ingest';
import { createWorkflowStore } from '../../src/workflows/workflowStore';
import { conversation, message, scenarioDatabase } from '../support/analyticsScenario';
import { fileDatabaseWithWorker } from '../support/testDatabase';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** The runtime's ticker on `db`, ticked by the test alone (its interval is an hour). */
function tickerOn(db: AppDatabase, options: { policies?: SlaPolicyStore; fold?: boolean } = {}) {
  const ticker = startAnalyticsTicker({
    db,
    policies: options.policies ?? createSlaPolicyStore(db),
    reports: createReportSubscriptions(db),
    events: createRoutedEventQueue(db, 8),
    mailer: null,
    onQueued: () => {},
    log: pino({ level: 'silent' }),
    intervalMs: 3_600_000,
    fold: options.fold,
  });
  cleanups.push(() => ticker.stop());
  return ticker;
}

describe('the analytics tick while the router worker holds the write lock', () => {
  it('waits for the lock without stopping the process, then folds the new messages', async () => {
    const { db, worker, close } = fileDatabaseWithWorker('analytics-busy');
    cleanups.push(close);
    seedDemoWorkspace(db, createWorkflowStore(db), Date.now());
    const raw = JSON.stringify(
      inboundTextWebhook({
        phoneNumberId: DEMO_BUSINESS_NUMBER_ID,
        from: '5511900000001',
        text: 'oi',
        messageId: 'wamid.analytics-busy',
        timestamp: Math.floor(Date.now() / 1000),
      }),
    );
    createWebhookIngest(db, 8)(raw, 'sig', waWebhookSchema.parse(JSON.parse(raw)), Date.now());
    const ticker = tickerOn(db);
    const folded = () =>
      db.$client
        .prepare(`SELECT high_water FROM analytics_progress WHERE source = 'messages'`)
        .pluck()
        .get() ?? 0;

    // What the worker process does while it commits a batch of assignments.
    worker.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    const tick = ticker.tick();
    // Timers still run: nothing sleeps inside SQLite waiting for the lock.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(folded()).toBe(0);
    worker.exec('COMMIT');

    await tick;
    expect(folded()).toBeGreaterThan(0);
  });
});

describe('the SLA scheduler in the analytics tick', () => {
  it('reaches the clocks of 6,000 new conversations in one tick (one slice of 5,000 messages before)', async () => {
    const db = scenarioDatabase();
    const now = Date.now();
    db.$client.transaction(() => {
      for (let i = 0; i < 6_000; i++) {
        conversation(db, `c${i}`, { openedAt: now, assignee: 'ana' });
        message(db, `c${i}`, 'inbound', now);
      }
    })();
    const policies = createSlaPolicyStore(db);
    policies.create(slaPolicyInputSchema.parse({ name: 'fast', firstResponseMinutes: 10 }), 0);
    const ticker = tickerOn(db, { policies });

    await ticker.tick();
    expect(db.$client.prepare(`SELECT count(DISTINCT conversation_id) FROM sla_clocks`).pluck().get()).toBe(
      6_000,
    );
  });
});

describe('the runtime ticker when the fold has a process of its own', () => {
  it('leaves the rollups to that process', async () => {
    const db = scenarioDatabase();
    const now = Date.now();
    conversation(db, 'c1', { openedAt: now, assignee: 'ana' });
    message(db, 'c1', 'inbound', now);
    const ticker = tickerOn(db, { fold: false });

    await ticker.tick();
    expect(
      db.$client.prepare(`SELECT count(*) FROM analytics_progress WHERE source = 'messages'`).pluck().get(),
    ).toBe(0);
  });
});
