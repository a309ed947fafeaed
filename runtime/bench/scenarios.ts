import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { AssignmentWatcher } from './assignmentWatcher';
import { watchEventLoopDelay } from './eventLoopDelay';
import { pollUntil, runBounded, runOpenLoop } from './pacing';
import { type LatencySummary, round, summarizeLatencies } from './percentiles';
import { type CpuSample, cpuPerConversation, loadAverage } from './processCpu';
import { type ConversationTimeline, type StageBreakdown, stageBreakdown } from './stageBreakdown';
import { type SignedWebhook, WebhookClient } from './webhookClient';

export interface ScenarioContext {
  baseUrl: string;
  appSecret: string;
  /** The runtime's WHATSAPP_VERIFY_TOKEN: the load generator opens its connections with the handshake. */
  verifyToken: string;
  sqlite: Database.Database;
  watcher: AssignmentWatcher;
  /** CPU used so far by the product's processes and the load generator. */
  cpu: () => CpuSample;
  /** How long to wait for the last assignment once posting has ended. */
  timeoutMs: number;
  /** Where steady scenarios write each conversation's stage times (BENCH_TIMELINE_DIR), if anywhere. */
  timelineDir?: string;
}

interface ScenarioOutcome {
  webhooks: number;
  acked: number;
  /** Posts answered with anything but 200, or not answered. */
  failed: number;
  /** Customers whose assignment was never pushed within the timeout. */
  missing: number;
  /** Pushes of an assignment already seen: retried activities. */
  duplicatePushes: number;
  /** Conversations of this scenario with more than one stored assignment: must be 0 (exactly once). */
  conversationsAssignedTwice: number;
  /**
   * How long the load generator's event loop was blocked, from the first post to the last push: a
   * late sender or a late socket read would be billed to the runtime.
   */
  loadGeneratorLoopDelayMs: { p99: number; max: number };
  /** CPU per conversation from the first post to the last push, by process (ms). */
  cpuMsPerConversation: ReturnType<typeof cpuPerConversation>;
  /**
   * Rows journaled in `live_events` (one per recipient and socket message) from the first post to the
   * last push, per conversation: the live feed's cost grows with it.
   */
  liveEventsPerConversation: number;
  /** The machine's 1/5/15-minute load averages at the start and the end: it is shared. */
  loadAverage: { start: number[]; end: number[] };
}

export interface BurstResult extends ScenarioOutcome {
  concurrency: number;
  postingSeconds: number;
  webhooksAckedPerSecond: number;
  firstPostToLastPushSeconds: number | null;
  conversationsRoutedPerSecond: number | null;
  firstPostToAllStoredSeconds: number | null;
  endToEndMs: LatencySummary;
}

export interface SteadyResult extends ScenarioOutcome {
  ratePerSecond: number;
  seconds: number;
  /**
   * Last push − last scheduled send: how far routing was behind when sending stopped. A product that
   * keeps pace with the rate ends within about one conversation's latency; one that does not ends
   * with the backlog it built up.
   */
  behindAtEndMs: number | null;
  /** Routed ÷ (last push − first scheduled send). */
  conversationsRoutedPerSecond: number | null;
  sendLagMs: { p99: number; max: number };
  ackMs: { p50: number; p99: number };
  endToEndMs: LatencySummary;
  stagesMs: StageBreakdown;
}

/** Distinct wa_ids for scenario `scenario`: every webhook is a new customer, so a new conversation. */
export function newCustomers(scenario: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) => String(551100000000 + scenario * 10_000_000 + index));
}

/** `customers.length` webhooks as fast as `concurrency` connections allow. */
export async function runBurst(
  context: ScenarioContext,
  customers: readonly string[],
  concurrency: number,
): Promise<BurstResult> {
  const countAssignments = context.sqlite.prepare<[], number>(`SELECT count(*) FROM assignments`).pluck();
  const storedTarget = (countAssignments.get() ?? 0) + customers.length;
  const duplicatesBefore = context.watcher.duplicates;
  const postStarts = new Array<number>(customers.length);
  const client = new WebhookClient(context.baseUrl, context.appSecret, concurrency);
  await client.openConnections(context.verifyToken);
  const webhooks = customers.map((waId) => client.firstMessage(waId));
  let acked = 0;
  const start = scenarioStart(context);
  const firstPost = performance.now();
  try {
    await runBounded(customers.length, concurrency, async (index) => {
      postStarts[index] = performance.now();
      if ((await client.post(webhooks[index] as SignedWebhook)) === 200) acked++;
    });
  } finally {
    await client.close();
  }
  const postingMs = performance.now() - firstPost;
  const [storedAt] = await Promise.all([
    pollUntil(() => (countAssignments.get() ?? 0) >= storedTarget, context.timeoutMs),
    waitForPushes(context, customers),
  ]);
  const { latencies, lastArrival } = endToEnd(context, customers, postStarts);
  const routedMs = lastArrival === null ? null : lastArrival - firstPost;
  return {
    ...outcome(context, customers, acked, latencies.length, duplicatesBefore, start),
    concurrency,
    postingSeconds: round(postingMs / 1000, 3),
    webhooksAckedPerSecond: Math.round(acked / (postingMs / 1000)),
    firstPostToLastPushSeconds: routedMs === null ? null : round(routedMs / 1000, 3),
    conversationsRoutedPerSecond: routedMs === null ? null : Math.round(latencies.length / (routedMs / 1000)),
    firstPostToAllStoredSeconds: storedAt === null ? null : round((storedAt - firstPost) / 1000, 3),
    endToEndMs: summarizeLatencies(latencies),
  };
}

/**
 * `ratePerSecond × seconds` webhooks on an open-loop schedule. Latencies count from each webhook's
 * scheduled send time, so time the request spent waiting to be sent is counted, not hidden.
 */
export async function runSteady(
  context: ScenarioContext,
  customers: readonly string[],
  ratePerSecond: number,
): Promise<SteadyResult> {
  const duplicatesBefore = context.watcher.duplicates;
  const postStarts = new Array<number>(customers.length);
  const ackLatencies: number[] = [];
  // Generous: an open loop must not be throttled by the pool when the server falls behind.
  const client = new WebhookClient(context.baseUrl, context.appSecret, 512);
  await client.openConnections(context.verifyToken);
  let acked = 0;
  let startLagsMs: number[];
  // Each body carries the time it is due to be sent (Meta's timestamps are in seconds).
  const firstSendAt = Date.now() + 5;
  const webhooks = customers.map((waId, index) =>
    client.firstMessage(waId, firstSendAt + (index * 1000) / ratePerSecond),
  );
  const start = scenarioStart(context);
  try {
    ({ startLagsMs } = await runOpenLoop(customers.length, ratePerSecond, async (index, scheduledAt) => {
      postStarts[index] = scheduledAt;
      if ((await client.post(webhooks[index] as SignedWebhook)) !== 200) return;
      acked++;
      ackLatencies.push(performance.now() - scheduledAt);
    }));
  } finally {
    await client.close();
  }
  await waitForPushes(context, customers);
  const { latencies, lastArrival } = endToEnd(context, customers, postStarts);
  const firstSend = postStarts[0] as number;
  const lastSend = postStarts[postStarts.length - 1] as number;
  const timeline: ConversationTimeline[] | undefined = context.timelineDir ? [] : undefined;
  const lag = summarizeLatencies(startLagsMs);
  const ack = summarizeLatencies(ackLatencies);
  const result: SteadyResult = {
    ...outcome(context, customers, acked, latencies.length, duplicatesBefore, start),
    ratePerSecond,
    seconds: customers.length / ratePerSecond,
    behindAtEndMs: lastArrival === null ? null : round(lastArrival - lastSend, 1),
    conversationsRoutedPerSecond:
      lastArrival === null ? null : Math.round(latencies.length / ((lastArrival - firstSend) / 1000)),
    sendLagMs: { p99: lag.p99, max: lag.max },
    ackMs: { p50: ack.p50, p99: ack.p99 },
    endToEndMs: summarizeLatencies(latencies),
    stagesMs: stageBreakdown(context.sqlite, customers, postStarts, context.watcher.arrivals, timeline),
  };
  if (context.timelineDir && timeline) {
    await mkdir(context.timelineDir, { recursive: true });
    await writeFile(join(context.timelineDir, `steady${ratePerSecond}.json`), JSON.stringify(timeline));
  }
  return result;
}

function waitForPushes(context: ScenarioContext, customers: readonly string[]): Promise<number | null> {
  context.watcher.await(customers);
  return pollUntil(() => context.watcher.outstanding === 0, context.timeoutMs);
}

/** Post start → socket push, per customer whose assignment arrived. */
function endToEnd(context: ScenarioContext, customers: readonly string[], postStarts: readonly number[]) {
  const latencies: number[] = [];
  let lastArrival: number | null = null;
  customers.forEach((waId, index) => {
    const arrival = context.watcher.arrivals.get(waId);
    if (arrival === undefined) return;
    latencies.push(arrival - (postStarts[index] as number));
    lastArrival = Math.max(lastArrival ?? arrival, arrival);
  });
  return { latencies, lastArrival: lastArrival as number | null };
}

function assignedTwice(context: ScenarioContext, customers: readonly string[]): number {
  return (
    context.sqlite
      .prepare<[string], number>(
        `SELECT count(*) FROM (
           SELECT c.id FROM conversations c JOIN assignments a ON a.conversation_id = c.id
            WHERE c.customer_wa_id IN (SELECT value FROM json_each(?))
            GROUP BY c.id HAVING count(*) > 1)`,
      )
      .pluck()
      .get(JSON.stringify(customers)) ?? 0
  );
}

interface ScenarioStart {
  stopWatchingLoop: () => { p99: number; max: number };
  cpu: CpuSample;
  loadAverage: number[];
  lastJournalSeq: number;
}

const lastJournalSeq = (context: ScenarioContext) =>
  context.sqlite.prepare<[], number>(`SELECT coalesce(max(seq), 0) FROM live_events`).pluck().get() ?? 0;

const journaledSince = (context: ScenarioContext, seq: number) =>
  context.sqlite
    .prepare<[number], number>(`SELECT count(*) FROM live_events WHERE seq > ?`)
    .pluck()
    .get(seq) ?? 0;

function scenarioStart(context: ScenarioContext): ScenarioStart {
  return {
    stopWatchingLoop: watchEventLoopDelay(),
    cpu: context.cpu(),
    loadAverage: loadAverage(),
    lastJournalSeq: lastJournalSeq(context),
  };
}

function outcome(
  context: ScenarioContext,
  customers: readonly string[],
  acked: number,
  arrived: number,
  duplicatesBefore: number,
  start: ScenarioStart,
): ScenarioOutcome {
  return {
    webhooks: customers.length,
    acked,
    failed: customers.length - acked,
    missing: customers.length - arrived,
    duplicatePushes: context.watcher.duplicates - duplicatesBefore,
    conversationsAssignedTwice: assignedTwice(context, customers),
    loadGeneratorLoopDelayMs: start.stopWatchingLoop(),
    cpuMsPerConversation: cpuPerConversation(start.cpu, context.cpu(), customers.length),
    liveEventsPerConversation: round(journaledSince(context, start.lastJournalSeq) / customers.length, 2),
    loadAverage: { start: start.loadAverage, end: loadAverage() },
  };
}
