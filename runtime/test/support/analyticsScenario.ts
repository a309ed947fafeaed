import { slaPolicyInputSchema } from '@switchboard/nodes';
import { createAnalyticsAggregator } from '../../src/analytics/aggregator';
import { createDashboardQuery } from '../../src/analytics/dashboardQuery';
import { createRoutedEventQueue } from '../../src/conversations/routedEventQueue';
import { openDatabase } from '../../src/db/database';
import { createSlaEngine } from '../../src/sla/slaEngine';
import { createSlaPolicyStore } from '../../src/sla/slaPolicyStore';

type Db = ReturnType<typeof openDatabase>;

/** 2026-06-0d hh:mm UTC (June: Berlin is UTC+2). */
export const june = (day: number, hh: number, mm = 0) => Date.UTC(2026, 5, day, hh, mm);
export const MINUTE = 60_000;

/** A workspace with three agents in one team, one WhatsApp number and one workflow version. */
export function scenarioDatabase(db: Db = openDatabase(':memory:')): Db {
  const sqlite = db.$client;
  sqlite.exec(`
    INSERT INTO business_numbers (id) VALUES ('bn1');
    INSERT INTO teams (id, name) VALUES ('support', 'Support');
    INSERT INTO agents (id, name, email) VALUES ('ana', 'Ana', 'ana@example.test'), ('ben', 'Ben', 'ben@example.test'),
      ('cid', 'Cid', 'cid@example.test');
    INSERT INTO team_members (team_id, agent_id) VALUES ('support', 'ana'), ('support', 'ben'), ('support', 'cid');
  `);
  return db;
}

export function conversation(
  db: Db,
  id: string,
  fields: { openedAt: number; assignee: string | null; tags?: string[] },
): void {
  const sqlite = db.$client;
  sqlite.prepare(`INSERT INTO contacts (id, wa_id) VALUES (?, ?)`).run(`contact_${id}`, `wa_${id}`);
  sqlite
    .prepare(
      `INSERT INTO conversations (id, business_number_id, contact_id, customer_wa_id, assignee_agent_id, team_id, tags, opened_at)
       VALUES (?, 'bn1', ?, ?, ?, 'support', ?, ?)`,
    )
    .run(
      id,
      `contact_${id}`,
      `wa_${id}`,
      fields.assignee,
      JSON.stringify(fields.tags ?? []),
      fields.openedAt,
    );
  sqlite
    .prepare(
      `INSERT INTO executions (id, conversation_id, workflow_version_id, status, started_at, updated_at)
       VALUES (?, ?, 'wv1', 'waiting', ?, ?)`,
    )
    .run(`exec_${id}`, id, fields.openedAt, fields.openedAt);
}

let messageCount = 0;
/** An outbound message without `author` is a workflow's send (automation), as in the outbound sender. */
export function message(
  db: Db,
  conversationId: string,
  direction: 'inbound' | 'outbound',
  at: number,
  author: string | null = null,
): void {
  messageCount++;
  db.$client
    .prepare(
      `INSERT INTO messages (id, wa_message_id, conversation_id, direction, type, payload, sent_at, author_agent_id)
       VALUES (?, ?, ?, ?, 'text', '{}', ?, ?)`,
    )
    .run(`m${messageCount}`, `wamid.${messageCount}`, conversationId, direction, at, author);
}

export function assignment(
  db: Db,
  conversationId: string,
  agentId: string,
  at: number,
  nodeType: 'assign' | 'flow.escalationLadder' = 'assign',
): void {
  const nodeId = `${nodeType}_${at}`;
  const sqlite = db.$client;
  sqlite
    .prepare(
      `INSERT INTO execution_steps (key, execution_id, node_id, node_type, status, at) VALUES (?, ?, ?, ?, 'completed', ?)`,
    )
    .run(`exec_${conversationId}:${nodeId}`, `exec_${conversationId}`, nodeId, nodeType, at);
  sqlite
    .prepare(
      `INSERT INTO assignments (id, effect_key, conversation_id, agent_id, team_id, workflow_version_id, execution_id,
                                node_id, explanation, created_at)
       VALUES (?, ?, ?, ?, 'support', 'wv1', ?, ?, '{}', ?)`,
    )
    .run(
      `a_${conversationId}_${at}`,
      `k_${conversationId}_${at}`,
      conversationId,
      agentId,
      `exec_${conversationId}`,
      nodeId,
      at,
    );
}

export function acknowledge(db: Db, conversationId: string, at: number): void {
  db.$client.prepare(`UPDATE conversations SET acknowledged_at = ? WHERE id = ?`).run(at, conversationId);
}

export function close(db: Db, conversationId: string, at: number): void {
  db.$client
    .prepare(`UPDATE conversations SET status = 'closed', closed_at = ? WHERE id = ?`)
    .run(at, conversationId);
}

/**
 * The scenario (all times UTC; the dashboard reads it in Europe/Berlin, UTC+2 in June):
 *
 * c1 (tag vip, Ana): in 09:00, workflow greeting 09:02, Ana out 09:10, in 10:00, Ana out 10:30;
 *                    acknowledged 09:05; closed 11:00                                  (Mon 1 June)
 * c2 (no tag, Ben):  in 09:30, Ben out 10:30; acknowledged 09:50; stays open         (Mon 1 June)
 * c3 (tag vip):      in 14:00, workflow greeting 14:02, no agent reply; assigned to Ben 14:01, then by
 *                    the escalation ladder to Ana 14:20; stays open                    (Tue 2 June)
 *
 * The two greetings are automation (no author): they count as outbound messages but not as responses,
 * so c1's first response is Ana's at 09:10 (10 min, not 2) and c3 stays unanswered (its first-response
 * clock breaches at 14:30 instead of being met at 14:02).
 *
 * SLA policy (calendar time): first response 30 min, next response 20 min, resolution 240 min, warn at 80 %.
 */
export function handBuiltScenario() {
  const db = scenarioDatabase();
  conversation(db, 'c1', { openedAt: june(1, 9), assignee: 'ana', tags: ['vip'] });
  conversation(db, 'c2', { openedAt: june(1, 9, 30), assignee: 'ben' });
  conversation(db, 'c3', { openedAt: june(2, 14), assignee: 'ana', tags: ['vip'] });
  message(db, 'c1', 'inbound', june(1, 9));
  assignment(db, 'c1', 'ana', june(1, 9, 1));
  message(db, 'c1', 'outbound', june(1, 9, 2));
  acknowledge(db, 'c1', june(1, 9, 5));
  message(db, 'c1', 'outbound', june(1, 9, 10), 'ana');
  message(db, 'c2', 'inbound', june(1, 9, 30));
  assignment(db, 'c2', 'ben', june(1, 9, 31));
  acknowledge(db, 'c2', june(1, 9, 50));
  message(db, 'c1', 'inbound', june(1, 10));
  message(db, 'c1', 'outbound', june(1, 10, 30), 'ana');
  message(db, 'c2', 'outbound', june(1, 10, 30), 'ben');
  close(db, 'c1', june(1, 11));
  message(db, 'c3', 'inbound', june(2, 14));
  assignment(db, 'c3', 'ben', june(2, 14, 1));
  message(db, 'c3', 'outbound', june(2, 14, 2));
  assignment(db, 'c3', 'ana', june(2, 14, 20), 'flow.escalationLadder');

  const policies = createSlaPolicyStore(db);
  policies.create(
    slaPolicyInputSchema.parse({
      name: 'default',
      firstResponseMinutes: 30,
      nextResponseMinutes: 20,
      resolutionMinutes: 240,
    }),
    0,
  );
  const engine = createSlaEngine(db, policies, createRoutedEventQueue(db, 4));
  const alerts = engine.tick(june(2, 16));
  createAnalyticsAggregator(db).catchUp();
  const summarize = createDashboardQuery(db);
  const range = { from: june(1, 0), to: june(3, 0), timeZone: 'Europe/Berlin' };
  return { db, alerts, summarize, range };
}
