/**
 * Dashboard benchmark: a million messages in a fresh SQLite file, folded into the rollups by the
 * incremental aggregator, then the dashboard API asked with varied filters and ranges.
 * `pnpm --filter @switchboard/runtime bench:analytics` → bench/results/analytics-<time>.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { createAnalyticsAggregator } from '../src/analytics/aggregator';
import { analyticsRoutes } from '../src/analytics/analyticsRoutes';
import { createReportSubscriptions } from '../src/analytics/reportSubscriptions';
import { installErrorHandler } from '../src/api/httpError';
import { openDatabase } from '../src/db/database';
import { round, summarizeLatencies } from './percentiles';
import { machineInfo, saveReport } from './reportFile';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const MESSAGES_PER_CONVERSATION = 10;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const DAYS = 90;
const AGENTS = 20;
const TEAMS = 4;
const NUMBERS = 3;
const TAGS = ['vip', 'billing', 'sales', 'returns', 'spam', 'urgent', 'b2b', 'new', 'churn', 'feedback'];
const START = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

/** Deterministic pseudo-random numbers, so every run builds the same workspace. */
function mulberry32(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(db: ReturnType<typeof openDatabase>) {
  const random = mulberry32(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const sqlite = db.$client;
  const agents = Array.from({ length: AGENTS }, (_, index) => `agent_${index}`);
  const teams = Array.from({ length: TEAMS }, (_, index) => `team_${index}`);
  for (const [index, agent] of agents.entries()) {
    sqlite
      .prepare(`INSERT INTO agents (id, name, email) VALUES (?, ?, ?)`)
      .run(agent, `Agent ${index}`, `${agent}@bench.test`);
    sqlite
      .prepare(`INSERT INTO team_members (team_id, agent_id) VALUES (?, ?)`)
      .run(teams[index % TEAMS], agent);
  }
  for (const team of teams) sqlite.prepare(`INSERT INTO teams (id, name) VALUES (?, ?)`).run(team, team);
  const contact = sqlite.prepare(`INSERT INTO contacts (id, wa_id) VALUES (?, ?)`);
  const conversation = sqlite.prepare(
    `INSERT INTO conversations (id, business_number_id, contact_id, customer_wa_id, status, assignee_agent_id, team_id,
                                tags, opened_at, acknowledged_at, closed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const execution = sqlite.prepare(
    `INSERT INTO executions (id, conversation_id, workflow_version_id, status, started_at, updated_at)
     VALUES (?, ?, ?, 'completed', ?, ?)`,
  );
  const assignment = sqlite.prepare(
    `INSERT INTO assignments (id, effect_key, conversation_id, agent_id, team_id, workflow_version_id, execution_id,
                              node_id, explanation, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'assign', '{}', ?)`,
  );
  const message = sqlite.prepare(
    `INSERT INTO messages (id, wa_message_id, conversation_id, direction, type, payload, sent_at)
     VALUES (?, ?, ?, ?, 'text', '{}', ?)`,
  );
  const conversations = MESSAGES / MESSAGES_PER_CONVERSATION;
  const insertSome = sqlite.transaction((from: number, to: number) => {
    for (let index = from; index < to; index++) {
      const id = `conv_${index}`;
      // Busier in office hours: an opening time skewed towards 08:00–18:00 UTC.
      const day = Math.floor(random() * DAYS);
      const hour = random() < 0.7 ? 8 + Math.floor(random() * 10) : Math.floor(random() * 24);
      const openedAt = START + day * 86_400_000 + hour * 3_600_000 + Math.floor(random() * 60) * MINUTE;
      const agent = pick(agents);
      const team = teams[agents.indexOf(agent) % TEAMS] as string;
      const tags = random() < 0.5 ? [pick(TAGS)] : random() < 0.5 ? [pick(TAGS), pick(TAGS)] : [];
      let at = openedAt;
      for (let n = 0; n < MESSAGES_PER_CONVERSATION; n++) {
        const messageId = `${id}_${n}`;
        message.run(messageId, `wamid.${messageId}`, id, n % 2 === 0 ? 'inbound' : 'outbound', at);
        at += Math.floor(1 + random() * 45) * MINUTE;
      }
      const closed = random() < 0.85;
      contact.run(`contact_${index}`, `wa_${index}`);
      conversation.run(
        id,
        `number_${index % NUMBERS}`,
        `contact_${index}`,
        `wa_${index}`,
        closed ? 'closed' : 'open',
        agent,
        team,
        JSON.stringify(tags),
        openedAt,
        openedAt + Math.floor(1 + random() * 20) * MINUTE,
        closed ? at : null,
      );
      const version = random() < 0.5 ? 'version_1' : 'version_2';
      execution.run(`exec_${index}`, id, version, openedAt, openedAt);
      assignment.run(
        `assign_${index}`,
        `key_${index}`,
        id,
        agent,
        team,
        version,
        `exec_${index}`,
        openedAt + MINUTE,
      );
    }
  });
  for (let from = 0; from < conversations; from += 10_000)
    insertSome(from, Math.min(conversations, from + 10_000));
  return { agents, teams };
}

async function main() {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-analytics-bench-'));
  try {
    const db = openDatabase(join(directory, 'bench.sqlite'));
    const generateStarted = performance.now();
    const { agents, teams } = generate(db);
    const generateMs = performance.now() - generateStarted;
    const aggregator = createAnalyticsAggregator(db);
    const foldStarted = performance.now();
    const facts = aggregator.catchUp();
    const foldMs = performance.now() - foldStarted;
    const rollupRows = db.$client.prepare(`SELECT count(*) FROM analytics_hourly`).pluck().get() as number;

    const http = Fastify();
    installErrorHandler(http);
    await http.register(analyticsRoutes, { db, aggregator, reports: createReportSubscriptions(db) });
    const random = mulberry32(7);
    const latencies: number[] = [];
    const byKind: Record<string, number[]> = {};
    for (let n = 0; n < QUERIES; n++) {
      const days = [7, 30, 90][n % 3] as number;
      const from = START + Math.floor(random() * (DAYS - days + 1)) * 86_400_000;
      const params = new URLSearchParams({
        from: String(from),
        to: String(from + days * 86_400_000),
        timeZone: 'Europe/Berlin',
      });
      const kind = ['none', 'agent', 'team', 'tag', 'number', 'version'][n % 6] as string;
      if (kind === 'agent') params.set('agentId', agents[n % agents.length] as string);
      if (kind === 'team') params.set('teamId', teams[n % teams.length] as string);
      if (kind === 'tag') params.set('tag', TAGS[n % TAGS.length] as string);
      if (kind === 'number') params.set('businessNumberId', `number_${n % NUMBERS}`);
      if (kind === 'version') params.set('workflowVersionId', 'version_1');
      const started = performance.now();
      const reply = await http.inject({ url: `/api/analytics/summary?${params}` });
      const took = performance.now() - started;
      if (reply.statusCode !== 200) throw new Error(`summary answered ${reply.statusCode}: ${reply.body}`);
      latencies.push(took);
      const kindKey = `${kind}, ${days} days`;
      byKind[kindKey] = [...(byKind[kindKey] ?? []), took];
    }
    await http.close();
    db.$client.close();
    const report = {
      benchmark: 'analytics',
      at: new Date().toISOString(),
      machine: machineInfo(),
      loadAverage: loadavg().map((load) => round(load, 2)),
      note: 'Measured on a shared machine while other work ran: latencies are upper bounds.',
      messages: MESSAGES,
      conversations: MESSAGES / MESSAGES_PER_CONVERSATION,
      generateSeconds: round(generateMs / 1000, 1),
      aggregator: {
        facts,
        seconds: round(foldMs / 1000, 1),
        factsPerSecond: Math.round(facts / (foldMs / 1000)),
      },
      rollupRows,
      queries: QUERIES,
      summaryLatencyMs: summarizeLatencies(latencies),
      summaryLatencyMsByFilter: Object.fromEntries(
        Object.entries(byKind).map(([kind, values]) => [kind, summarizeLatencies(values)]),
      ),
    };
    const json = JSON.stringify(report, null, 2);
    console.log(json);
    console.log(`saved ${await saveReport('analytics', new Date(), json)}`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
