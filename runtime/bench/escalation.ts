/**
 * Escalation benchmark, for "a 100,000-conversation run with every third conversation escalated
 * keeps every timer": new conversations are assigned round-robin in Support, their assignees
 * acknowledge two of every three through the HTTP API, and the third ones must reach the team lead
 * when their acknowledgement deadline passes — each exactly once, with one note. After posting,
 * every shard is made to continue as new, so the pending deadlines travel through the checkpoint
 * pages. Prints a JSON report, keeps it under bench/results/ and exits 1 on any violation.
 *
 *   cd runtime && npx tsx bench/escalation.ts
 *   BENCH_ESCALATION_CONVERSATIONS=3000 BENCH_ACK_TIMEOUT_MINUTES=1.5 npx tsx bench/escalation.ts
 *
 * A separate script from routing.ts (`pnpm bench`) on purpose: it lasts the acknowledgement
 * timeout plus several minutes, and it checks timers rather than measuring latency.
 */
import { z } from 'zod';
import type { Switchboard } from '../src/app';
import { DEMO_WORKFLOW_ID } from '../src/demo/seedDemo';
import { TEMPORAL_CLI_VERSION } from '../src/temporal/temporalCli';
import { createWorkflowStore } from '../src/workflows/workflowStore';
import { acknowledgeOrEscalate } from '../test/support/escalationGraph';
import { AcknowledgingAgents } from './acknowledgingAgents';
import { BENCH_APP_SECRET, startBenchRuntime } from './benchRuntime';
import { type CleanupStack, runBenchmark } from './cleanupStack';
import { auditEscalations, type Violation } from './escalationAudit';
import { startEscalationProgress } from './escalationProgress';
import { type WaitResult, waitForEscalations } from './escalationWait';
import { runBounded, sleep } from './pacing';
import { round } from './percentiles';
import { machineInfo, saveReport } from './reportFile';
import { newCustomers } from './scenarios';
import { type ShardCompaction, type ShardHealth, ShardProbe } from './shardProbe';
import { WebhookClient } from './webhookClient';

/**
 * Every acknowledgement must reach its shard before that conversation's deadline, however far the
 * routing backlog falls behind the posts. Measured on 2 cores: 20,000 posted in 82 s, 30,000 in
 * 77 s, slowing as the shards fill (~900/s at first, 100–400/s later), acknowledgements trailing
 * the posts by up to a minute. 100,000 then take 5–7 minutes; 12 keeps the last acknowledgement
 * well ahead of the first deadline.
 */
const DEFAULT_ACK_TIMEOUT_MINUTES = 12;
const benchEnvSchema = z.object({
  BENCH_ESCALATION_CONVERSATIONS: z.coerce.number().int().positive().default(100_000),
  BENCH_ACK_TIMEOUT_MINUTES: z.coerce.number().positive().default(DEFAULT_ACK_TIMEOUT_MINUTES),
});
const ESCALATE_EVERY = 3;
const SUPPORT_TEAM_ID = 'team_support';
/** Distinct from routing.ts's scenarios: these customers are never mistaken for one of its runs. */
const CUSTOMER_SCENARIO = 7;
const POST_CONCURRENCY = 64;
const ACK_CONCURRENCY = 16;
/** Agents' capacity during the run: high enough that nobody is ever skipped as full. */
const UNLIMITED_CAPACITY = 1_000_000;
const COMPACTION_TIMEOUT_MS = 120_000;
/** Beyond the acknowledgement timeout, how long the last escalations may take once posting ends. */
const WAIT_MARGIN_MS = 10 * 60_000;
/** After everything settled: time for a duplicate timer, assignment or note to show up. */
const QUIET_MS = 5000;
/** A shard whose workflow task is on this attempt or later keeps failing: its events wait forever. */
const STUCK_TASK_ATTEMPT = 3;
const PROGRESS_MS = 10_000;
const SHARD_SAMPLE_MS = 2000;
const EXAMPLES = 5;

interface PostingResult {
  startedAt: number;
  endedAt: number;
  /** Replies by HTTP status; 0 counts posts that got none. */
  replies: Record<string, number>;
  refusals: string[];
}

async function main(cleanup: CleanupStack): Promise<number> {
  const env = loadBenchEnv();
  const timeoutMinutes = env.BENCH_ACK_TIMEOUT_MINUTES;
  const timeoutMs = timeoutMinutes * 60_000;
  const started = performance.now();
  const progress = (message: string) =>
    console.error(`bench [${((performance.now() - started) / 1000).toFixed(1)} s] ${message}`);

  progress('starting the Temporal dev server and the runtime');
  const { app, config } = await startBenchRuntime(cleanup);
  const leadAgentId = publishEscalation(app, timeoutMinutes);
  const customers = newCustomers(CUSTOMER_SCENARIO, env.BENCH_ESCALATION_CONVERSATIONS);
  const firstCustomer = Number(customers[0]);
  const escalates = (waId: string) => (Number(waId) - firstCustomer) % ESCALATE_EVERY === ESCALATE_EVERY - 1;
  const expected = customers.filter(escalates);
  const agents = new AcknowledgingAgents(
    app.db.$client,
    app.url,
    (waId) => !escalates(waId),
    ACK_CONCURRENCY,
  );
  cleanup.push(() => agents.stop());
  const shards = new ShardProbe(
    app.client,
    config.TEMPORAL_NAMESPACE,
    config.TEMPORAL_TASK_QUEUE,
    app.shardCount,
  );
  const posted = { count: 0 };
  const stopSampling = shards.watch(SHARD_SAMPLE_MS);
  cleanup.push(stopSampling);
  const stopProgress = startEscalationProgress(
    {
      sqlite: app.db.$client,
      agents,
      shards,
      posted,
      customers: customers.length,
      escalations: expected.length,
    },
    progress,
    PROGRESS_MS,
  );
  cleanup.push(stopProgress);

  progress(`posting ${customers.length} new conversations, ${POST_CONCURRENCY} at a time`);
  const posting = await postConversations(app.url, customers, posted);
  const postingSeconds = (posting.endedAt - posting.startedAt) / 1000;
  progress(`posted in ${postingSeconds.toFixed(1)} s; asking every shard to continue as new`);
  const compactions = await shards.compactAll(COMPACTION_TIMEOUT_MS);
  const compactedAt = Date.now();
  progress(`new runs after ${JSON.stringify(compactions.map((c) => c.secondsToNewRun))} s`);

  const budgetMs = timeoutMs + WAIT_MARGIN_MS;
  progress(`waiting up to ${budgetMs / 60_000} min for every escalation and execution to finish`);
  const sqlite = app.db.$client;
  const wait = await waitForEscalations(sqlite, agents, customers.length, expected, timeoutMs, budgetMs);
  progress(`stopped waiting: ${wait.outcome}`);
  await sleep(QUIET_MS);
  stopProgress();
  stopSampling();
  await agents.stop();
  const finalTotals = await shards.sample();
  const runs = await shards.runsPerShard();
  const health = await shards.health();

  progress('auditing every conversation');
  const audit = auditEscalations(sqlite, { customers, escalates, timeoutMs, leadAgentId });
  const violations = [...runViolations(posting, agents, compactions, health, wait), ...audit.violations];
  const since = (at: number | null | undefined) =>
    at === null || at === undefined ? null : round((at - posting.startedAt) / 1000, 1);
  const { summary } = audit;

  const date = new Date();
  const report = {
    benchmark: 'escalation',
    date: date.toISOString(),
    machine: machineInfo(),
    temporal: `embedded dev server (CLI ${TEMPORAL_CLI_VERSION}, SQLite file, WAL)`,
    shards: app.shardCount,
    workerMode: config.WORKER_MODE,
    settings: {
      conversations: customers.length,
      escalateEvery: ESCALATE_EVERY,
      ackTimeoutMinutes: timeoutMinutes,
      postConcurrency: POST_CONCURRENCY,
      ackConcurrency: ACK_CONCURRENCY,
      waitBudgetMinutes: budgetMs / 60_000,
    },
    notes: [
      `agent capacity raised to ${UNLIMITED_CAPACITY}, so that nobody is skipped as full`,
      `graph acknowledgeOrEscalate(${timeoutMinutes}): round-robin in ${SUPPORT_TEAM_ID}, wait for acknowledgement, on timeout the team lead, then a note`,
      'acknowledgements go through POST /api/conversations/:id/acknowledge as the assignee, as soon as the first assignment is committed (assignments polled every 200 ms)',
      'a deadline is when wait_ack started waiting plus the timeout; lateness is the lead assignment row minus that',
      `peak live conversations are sampled from shardStatus every ${SHARD_SAMPLE_MS / 1000} s`,
      'timeline: seconds since the first post',
    ],
    posting: {
      webhooks: customers.length,
      replies: posting.replies,
      refusals: posting.refusals,
      seconds: round(postingSeconds, 3),
      webhooksPerSecond: Math.round(customers.length / postingSeconds),
      firstAssignmentsPerSecond: summary.firstAssignments?.last
        ? Math.round(agents.assigned.size / ((summary.firstAssignments.last - posting.startedAt) / 1000))
        : null,
    },
    acknowledgements: {
      sent: sumOf(agents.replies),
      retriedAfterBusy: agents.busyRetries,
      replies: agents.replies,
      refusals: agents.refusals,
      ...summary.acknowledged,
    },
    escalations: { expected: expected.length, ...summary.escalated },
    timersFiredTotal: summary.timersFiredTotal,
    notesTotal: summary.notesTotal,
    conversationsWithDuplicateNotes: summary.conversationsWithDuplicateNotes,
    executionsByStatus: summary.executionsByStatus,
    shardState: {
      checkpointPages: summary.checkpointPages,
      perShard: compactions.map((compaction) => ({
        shard: compaction.shard,
        runs: runs[compaction.shard],
        peakLiveConversations: shards.peakLive[compaction.shard],
        forcedContinueAsNew: compaction,
        currentRun: health[compaction.shard],
      })),
      atEnd: finalTotals,
      failedStatusQueries: shards.failedQueries,
      lastQueryError: shards.lastError,
    },
    timeline: {
      postingEnded: since(posting.endedAt),
      lastFirstAssignment: since(summary.firstAssignments?.last),
      everyShardContinuedAsNew: since(compactedAt),
      firstDeadline: since(summary.firstDeadlineAt),
      lastDeadline: since(summary.lastDeadlineAt),
      waitEnded: since(wait.at),
      waitOutcome: wait.outcome,
      continuedAsNewBeforeFirstDeadline:
        summary.firstDeadlineAt !== null && compactedAt < summary.firstDeadlineAt,
    },
    violations,
    ok: violations.length === 0,
  };
  const json = JSON.stringify(report, null, 2);
  console.log(json);
  progress(`wrote ${await saveReport('escalation', date, json)}`);
  return violations.length > 0 ? 1 : 0;
}

/** Publishes acknowledgeOrEscalate for the demo number; returns who the escalations must reach. */
function publishEscalation(app: Switchboard, timeoutMinutes: number): string {
  const sqlite = app.db.$client;
  sqlite.prepare(`UPDATE agents SET capacity = ?`).run(UNLIMITED_CAPACITY);
  createWorkflowStore(app.db).publish(
    DEMO_WORKFLOW_ID,
    acknowledgeOrEscalate(timeoutMinutes),
    'escalation benchmark',
    null,
    Date.now(),
  );
  const lead = sqlite
    .prepare<[string], string | null>(`SELECT lead_agent_id FROM teams WHERE id = ?`)
    .pluck()
    .get(SUPPORT_TEAM_ID);
  if (!lead) throw new Error(`the demo workspace has no team lead for ${SUPPORT_TEAM_ID}`);
  return lead;
}

/** One signed first message per customer, as fast as POST_CONCURRENCY connections allow. */
async function postConversations(
  baseUrl: string,
  customers: readonly string[],
  posted: { count: number },
): Promise<PostingResult> {
  const client = new WebhookClient(baseUrl, BENCH_APP_SECRET, POST_CONCURRENCY);
  const result: PostingResult = { startedAt: Date.now(), endedAt: 0, replies: {}, refusals: [] };
  try {
    await runBounded(customers.length, POST_CONCURRENCY, async (index) => {
      const waId = customers[index] as string;
      const status = await client.postFirstMessage(waId);
      posted.count++;
      result.replies[status] = (result.replies[status] ?? 0) + 1;
      if (status !== 200 && result.refusals.length < EXAMPLES)
        result.refusals.push(`${waId}: ${status === 0 ? client.lastError : `HTTP ${status}`}`);
    });
  } finally {
    await client.close();
  }
  result.endedAt = Date.now();
  return result;
}

/** What went wrong around the conversations rather than in them. */
function runViolations(
  posting: PostingResult,
  agents: AcknowledgingAgents,
  compactions: ShardCompaction[],
  health: ShardHealth[],
  wait: WaitResult,
): Violation[] {
  const found: Violation[] = [];
  const add = (check: string, count: number, examples: string[]) => {
    if (count > 0) found.push({ check, count, examples: examples.slice(0, EXAMPLES) });
  };
  add('webhook not accepted', sumOf(posting.replies) - (posting.replies['200'] ?? 0), posting.refusals);
  add('acknowledgement refused', sumOf(agents.replies) - agents.acknowledged, agents.refusals);
  add('first assignment to nobody, so nobody could acknowledge it', agents.unassigned, []);
  const stuck = compactions.filter((compaction) => compaction.error !== null);
  add(
    'shard did not continue as new when asked',
    stuck.length,
    stuck.map((compaction) => `shard ${compaction.shard}: ${compaction.error}`),
  );
  const failing = health.filter((shard) => (shard.pendingTaskAttempt ?? 0) >= STUCK_TASK_ATTEMPT);
  add(
    'shard stuck: its workflow task keeps failing',
    failing.length,
    failing.map(
      (shard) =>
        `shard ${shard.shard}: attempt ${shard.pendingTaskAttempt}, history ${shard.historyEvents} events / ${shard.historyBytes} bytes, failures ${JSON.stringify(shard.taskFailures)}`,
    ),
  );
  if (wait.outcome !== 'complete') add(`escalations incomplete: ${wait.outcome}`, 1, [wait.missing]);
  return found;
}

function sumOf(counts: Record<string, number>): number {
  return Object.values(counts).reduce((total, n) => total + n, 0);
}

function loadBenchEnv() {
  const parsed = benchEnvSchema.safeParse(process.env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`invalid benchmark settings:\n  ${problems.join('\n  ')}`);
}

await runBenchmark(main);
