import { randomUUID } from 'node:crypto';
import type { AppDatabase } from '../../src/db/database';
import { DEMO_BUSINESS_NUMBER_ID } from '../../src/demo/seedDemo';

let counter = 0;

/** A conversation with its contact and one inbound message, as webhook intake would leave it. */
export function aConversation(
  db: AppDatabase,
  options: {
    customer?: string;
    text?: string;
    assignee?: string | null;
    teamId?: string | null;
    tags?: string[];
    priority?: 'low' | 'normal' | 'high' | 'urgent';
    receivedAt?: number;
  } = {},
): string {
  const sqlite = db.$client;
  const n = ++counter;
  const id = `conv-${n}-${randomUUID().slice(0, 6)}`;
  const waId = `5511900000${String(n).padStart(3, '0')}`;
  const receivedAt = options.receivedAt ?? Date.now();
  sqlite
    .prepare(`INSERT INTO contacts (id, wa_id, name) VALUES (?, ?, ?)`)
    .run(`contact-${id}`, waId, options.customer ?? `Customer ${n}`);
  sqlite
    .prepare(
      `INSERT INTO conversations (id, business_number_id, contact_id, customer_wa_id, assignee_agent_id, team_id, tags, priority, last_inbound_at, opened_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      DEMO_BUSINESS_NUMBER_ID,
      `contact-${id}`,
      waId,
      options.assignee ?? null,
      options.teamId === undefined ? 'team_support' : options.teamId,
      JSON.stringify(options.tags ?? []),
      options.priority ?? 'normal',
      receivedAt,
      receivedAt,
    );
  sqlite
    .prepare(
      `INSERT INTO messages (id, wa_message_id, conversation_id, direction, type, text, payload, sent_at) VALUES (?, ?, ?, 'inbound', 'text', ?, '{}', ?)`,
    )
    .run(randomUUID(), `wamid.${id}`, id, options.text ?? 'Olá', receivedAt);
  return id;
}
