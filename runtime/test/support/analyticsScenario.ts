import { openDatabase } from '../../src/db/database';

type Db = ReturnType<typeof openDatabase>;

/** 2026-06-0d hh:mm UTC (June: Berlin is UTC+2). */
export const june = (day: number, hh: number, mm = 0) => Date.UTC(2026, 5, day, hh, mm);
export const MINUTE = 60_000;

/** A workspace with three agents in one team, one WhatsApp number and one workflow version. */
export function scenarioDatabase(): Db {
  const db = openDatabase(':memory:');
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
export function message(db: Db, conversationId: string, direction: 'inbound' | 'outbound', at: number): void {
  messageCount++;
  db.$client
    .prepare(
      `INSERT INTO messages (id, wa_message_id, conversation_id, direction, type, payload, sent_at)
       VALUES (?, ?, ?, ?, 'text', '{}', ?)`,
    )
    .run(`m${messageCount}`, `wamid.${messageCount}`, conversationId, direction, at);
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
