import type { Logger } from 'pino';
import type { RoutedEventQueue } from '../conversations/routedEventQueue';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';
import type { Mailer } from '../effects/mailer';
import { createSlaEngine } from '../sla/slaEngine';
import type { SlaPolicyStore } from '../sla/slaPolicyStore';
import { createAnalyticsAggregator } from './aggregator';
import { createDashboardQuery } from './dashboardQuery';
import { createReportMailer } from './reportMailer';
import type { ReportSubscriptions } from './reportSubscriptions';

/** Batches a tick folds at most: up to 20,000 rows per source, as when batches were 5,000 rows. */
const TICK_BATCHES = 40;
/** SLA slices a tick evaluates at most: 20,000 messages, as the fold (one slice of 5,000 before). */
const TICK_SLA_SLICES = 80;

export interface AnalyticsTickerOptions {
  db: AppDatabase;
  policies: SlaPolicyStore;
  reports: ReportSubscriptions;
  events: RoutedEventQueue;
  mailer: Mailer | null;
  /** Wakes the outbox dispatcher after SLA alerts were queued. */
  onQueued: () => void;
  log: Logger;
  /** SLA alerts are at most this late; targets are minutes, so seconds are fine. */
  intervalMs?: number;
  /** Folding the rollups too: false when the fold runs in a process of its own (foldProcess.ts). */
  fold?: boolean;
}

/**
 * Runs in the runtime process, not in the router workflow: folds new facts into the rollups, moves
 * SLA clocks (alerts into the outbox) and sends due report e-mails.
 */
export function startAnalyticsTicker(options: AnalyticsTickerOptions) {
  const aggregator = createAnalyticsAggregator(options.db);
  const sla = createSlaEngine(options.db, options.policies, options.events);
  const sendReports = options.mailer
    ? createReportMailer(options.reports, createDashboardQuery(options.db), options.mailer)
    : null;
  const sqlite = options.db.$client;
  const ticker = everyInterval(options.intervalMs ?? 5000, options.log, async () => {
    if (options.fold !== false) await aggregator.catchUpWhenFree(TICK_BATCHES);
    // Slice by slice, the event loop let go in between, as the fold's batches.
    for (let slices = 0; slices < TICK_SLA_SLICES; slices++) {
      const slice = await writeWhenFree(sqlite, () => sla.slice(Date.now(), slices > 0));
      if (slice.alerts > 0) options.onQueued();
      if (!slice.more) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (sendReports) await sendReports(Date.now());
  });
  return { aggregator, ...ticker };
}

/** The fold alone, every `intervalMs`: what the fold's own process runs (foldChild.ts). */
export function startFoldTicker(options: { db: AppDatabase; log: Logger; intervalMs?: number }) {
  const aggregator = createAnalyticsAggregator(options.db);
  return everyInterval(options.intervalMs ?? 5000, options.log, async () => {
    await aggregator.catchUpWhenFree(TICK_BATCHES);
  });
}

/**
 * Runs `work` every `intervalMs`, never twice at once. A few batches per run: catching up on a
 * large history must not hold the server for minutes. Locks are waited for with the event loop
 * free: under a 1,000/s load the router worker holds the write lock often, and busy_timeout made a
 * tick sleep inside SQLite for up to 5 s, webhook intake included, then fail with SQLITE_BUSY (seen
 * in the 100,000-conversation bench).
 */
function everyInterval(intervalMs: number, log: Logger, work: () => Promise<void>) {
  let running: Promise<void> | null = null;
  const tick = async () => {
    if (running) return running;
    running = work()
      // Logged and retried on the next tick: the high-water marks only move with committed work.
      .catch((error) => log.error({ err: error }, 'analytics tick failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    tick,
    /** Stops ticking; resolves when a tick under way has finished. */
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
