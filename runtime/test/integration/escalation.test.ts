import { rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src/db/database';
import { DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import { createWorkflowStore } from '../../src/workflows/workflowStore';
import { acknowledgeOrEscalate } from '../support/escalationGraph';
import {
  eventually,
  postInboundText,
  RuntimeProcess,
  startTestRuntime,
  testEnvironment,
} from '../support/runtimeHarness';

const ACK_TIMEOUT_MINUTES = 0.1; // 6 s: long enough to acknowledge, short enough for a test

type Row = { agent_id: string | null; node_id: string };

function assignmentsOf(db: Database.Database, waId: string): Row[] {
  return db
    .prepare(
      `SELECT a.agent_id, a.node_id FROM assignments a JOIN conversations c ON c.id = a.conversation_id
        WHERE c.customer_wa_id = ? ORDER BY a.created_at`,
    )
    .all(waId) as Row[];
}

describe('escalation on a real Temporal dev server', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('acknowledged in time: no escalation; not acknowledged: the team lead gets it once, with a note', async () => {
    const app = await startTestRuntime(inject('temporalAddress'));
    cleanup = app.cleanup;
    createWorkflowStore(app.db).publish(
      DEMO_WORKFLOW_ID,
      acknowledgeOrEscalate(ACK_TIMEOUT_MINUTES),
      'escalation test',
      null,
      Date.now(),
    );
    const sqlite = app.db.$client;

    await postInboundText(app.url, { from: '3460000001', text: 'hola' });
    await postInboundText(app.url, { from: '3460000002', text: 'hola' });
    const [first] = await eventually(() => {
      const rows = assignmentsOf(sqlite, '3460000001');
      return rows.length ? rows : undefined;
    });
    const conversationId = sqlite
      .prepare(`SELECT id FROM conversations WHERE customer_wa_id = '3460000001'`)
      .pluck()
      .get();
    const ack = await app.api(`/api/conversations/${conversationId}/acknowledge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agentId: first?.agent_id }),
    });
    expect(ack.status).toBe(202);

    // The unacknowledged one escalates to the team lead (Ben) after the timeout.
    const escalated = await eventually(() => {
      const rows = assignmentsOf(sqlite, '3460000002');
      return rows.length === 2 ? rows : undefined;
    }, 60_000);
    expect(escalated.map((r) => r.node_id)).toEqual(['assign', 'lead']);
    expect(escalated[1]?.agent_id).toBe('agent_ben');
    // The note follows the lead's assignment in the next round of effects.
    const notes = await eventually(() => {
      const rows = sqlite
        .prepare(
          `SELECT n.text, n.mentions FROM notes n JOIN conversations c ON c.id = n.conversation_id WHERE c.customer_wa_id = '3460000002'`,
        )
        .all();
      return rows.length ? rows : undefined;
    });
    expect(notes).toEqual([
      { text: 'Escalated: nobody acknowledged in time. @agent_ben', mentions: '["agent_ben"]' },
    ]);
    // The mention's notification is written after the note, in a write of its own.
    const mentioned = await eventually(() => {
      const count = sqlite
        .prepare<[], number>(`SELECT count(*) FROM notifications WHERE agent_id = 'agent_ben'`)
        .pluck()
        .get();
      return count ? count : undefined;
    });
    expect(mentioned).toBe(1);

    // Past the acknowledged one's deadline: still only its first assignment.
    await new Promise((resolve) => setTimeout(resolve, ACK_TIMEOUT_MINUTES * 60_000 + 2000));
    expect(assignmentsOf(sqlite, '3460000001')).toHaveLength(1);
    const steps = sqlite
      .prepare(
        `SELECT s.node_id || '→' || coalesce(s.output, s.status) FROM execution_steps s JOIN executions e ON e.id = s.execution_id
          JOIN conversations c ON c.id = e.conversation_id WHERE c.customer_wa_id = '3460000001' ORDER BY s.at, s.rowid`,
      )
      .pluck()
      .all();
    expect(steps).toEqual([
      'new_conversation→out',
      'assign→waiting',
      'assign→assigned',
      'wait_ack→waiting',
      'wait_ack→acknowledged',
    ]);
  });

  it('kill -9 in the middle of an escalation: after a restart the timer fires once and nothing is applied twice', async () => {
    const runtime = new RuntimeProcess(await testEnvironment(inject('temporalAddress')));
    cleanup = async () => {
      await runtime.stop();
      await rm(runtime.env.DATA_DIR as string, { recursive: true, force: true });
    };
    await runtime.start();
    const db = openDatabase(`${runtime.env.DATA_DIR}/switchboard.sqlite`);
    createWorkflowStore(db).publish(
      DEMO_WORKFLOW_ID,
      acknowledgeOrEscalate(ACK_TIMEOUT_MINUTES),
      'escalation test',
      null,
      Date.now(),
    );
    db.$client.close();

    const customers = ['3470000001', '3470000002', '3470000003'];
    for (const from of customers) await postInboundText(runtime.url, { from, text: 'hola' });
    const reader = new Database(`${runtime.env.DATA_DIR}/switchboard.sqlite`, { readonly: true });
    try {
      await eventually(() =>
        customers.every((from) => assignmentsOf(reader, from).length === 1) ? true : undefined,
      );
      // Every conversation now waits on its acknowledgement deadline. Crash.
      await runtime.kill();
      await new Promise((resolve) => setTimeout(resolve, ACK_TIMEOUT_MINUTES * 60_000));
      await runtime.start();
      for (const from of customers) {
        const rows = await eventually(() => {
          const found = assignmentsOf(reader, from);
          return found.length >= 2 ? found : undefined;
        }, 60_000);
        expect(rows.map((r) => r.node_id)).toEqual(['assign', 'lead']);
      }
      const countNotes = () => reader.prepare(`SELECT count(*) FROM notes`).pluck().get() as number;
      await eventually(() => (countNotes() >= customers.length ? true : undefined));
      // Long enough for a duplicate to surface if a timer fired twice.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      for (const from of customers) expect(assignmentsOf(reader, from)).toHaveLength(2);
      expect(countNotes()).toBe(customers.length);
    } finally {
      reader.close();
    }
  });
});
