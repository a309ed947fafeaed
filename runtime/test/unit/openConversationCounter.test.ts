import { beforeEach, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../src/db/database';
import { demoDatabase } from '../support/testDatabase';

let db: AppDatabase;

beforeEach(() => {
  db = demoDatabase().db;
});

let customers = 0;

function conversation(fields: { assignee?: string; status?: 'open' | 'closed' } = {}): string {
  customers += 1;
  const id = `conv-${customers}`;
  db.$client.prepare(`INSERT INTO contacts (id, wa_id) VALUES (?, ?)`).run(id, `5511${customers}`);
  db.$client
    .prepare(
      `INSERT INTO conversations (id, business_number_id, contact_id, customer_wa_id, status, assignee_agent_id)
       VALUES (?, 'n1', ?, ?, ?, ?)`,
    )
    .run(id, id, `5511${customers}`, fields.status ?? 'open', fields.assignee ?? null);
  return id;
}

const update = (id: string, set: string, ...values: unknown[]) =>
  db.$client.prepare(`UPDATE conversations SET ${set} WHERE id = ?`).run(...values, id);

/** The stored counters next to a fresh count, for every agent. */
function countersAndCounts() {
  return db.$client
    .prepare(
      `SELECT a.id, a.open_conversations AS counter,
              (SELECT count(*) FROM conversations c WHERE c.assignee_agent_id = a.id AND c.status = 'open') AS counted
         FROM agents a ORDER BY a.id`,
    )
    .all() as { id: string; counter: number; counted: number }[];
}

describe("agents' open-conversation counter", () => {
  it('follows every way a conversation is assigned, closed, reopened, handed over or deleted', () => {
    const a = conversation({ assignee: 'agent_ana' });
    const b = conversation();
    const c = conversation({ assignee: 'agent_ben', status: 'closed' });
    update(b, 'assignee_agent_id = ?', 'agent_ana');
    update(a, `status = 'closed'`);
    update(c, `status = 'open'`);
    update(b, 'assignee_agent_id = ?, status = ?', 'agent_chloe', 'open');
    update(c, 'assignee_agent_id = ?, status = ?', 'agent_dev', 'closed');
    update(a, `status = 'open', assignee_agent_id = NULL`);
    // Touching other columns (every inbound message does) leaves the counter alone.
    update(b, 'last_inbound_at = ?', 1);
    const d = conversation({ assignee: 'agent_ana' });
    db.$client.prepare(`DELETE FROM conversations WHERE id = ?`).run(d);

    const rows = countersAndCounts();
    expect(rows.find((row) => row.id === 'agent_chloe')?.counter).toBe(1);
    for (const row of rows) expect(row.counter).toBe(row.counted);
  });

  it('stays equal to the count over 500 random changes', () => {
    const agents = ['agent_ana', 'agent_ben', 'agent_chloe', null];
    const ids = Array.from({ length: 20 }, () => conversation());
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 500; i++) {
      const id = ids[next(ids.length)] as string;
      if (next(2) === 0) update(id, 'assignee_agent_id = ?', agents[next(agents.length)]);
      else update(id, 'status = ?', next(2) === 0 ? 'open' : 'closed');
    }
    const rows = countersAndCounts();
    expect(rows.reduce((sum, row) => sum + row.counter, 0)).toBeGreaterThan(0);
    for (const row of rows) expect(row.counter).toBe(row.counted);
  });
});
