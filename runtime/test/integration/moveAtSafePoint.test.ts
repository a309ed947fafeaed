import { rm } from 'node:fs/promises';
import type { RunningExecutionsPolicy, WorkflowGraph } from '@switchboard/shared';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Switchboard, startSwitchboard } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { AppDatabase } from '../../src/db/database';
import { DEMO_WORKFLOW_ID } from '../../src/demo/seedDemo';
import { createWorkflowStore } from '../../src/workflows/workflowStore';
import { acknowledgeOrEscalate, acknowledgeOrTag } from '../support/escalationGraph';
import { eventually, postInboundText, startTestRuntime } from '../support/runtimeHarness';

/*
 * A conversation waits for its acknowledgement when a new version is published. With `stay` its
 * timeout follows the version it started on; with `move_at_safe_point` it moves to the new version
 * while it waits, keeps its deadline, and the timeout follows the new version's edge.
 */

// 15 s: room to publish and announce to every shard under load, short enough for a test.
const ACK_TIMEOUT_MINUTES = 0.25;

let app: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  app = await startTestRuntime(inject('temporalAddress'));
});
afterAll(async () => {
  await app?.cleanup();
});

async function publish(graph: WorkflowGraph, runningExecutions: RunningExecutionsPolicy): Promise<number> {
  const reply = await app.api(`/api/workflows/${DEMO_WORKFLOW_ID}/publish`, {
    method: 'POST',
    body: JSON.stringify({ graph, note: `running executions: ${runningExecutions}`, runningExecutions }),
  });
  expect(reply.status).toBe(201);
  return ((await reply.json()) as { version: { number: number } }).version.number;
}

/** The execution of a customer's conversation, once it has stepped at all. */
function executionOf(waId: string, db: AppDatabase = app.db): { id: string; number: number } | undefined {
  return db.$client
    .prepare(
      `SELECT e.id, v.number FROM executions e JOIN conversations c ON c.id = e.conversation_id
         JOIN workflow_versions v ON v.id = e.workflow_version_id WHERE c.customer_wa_id = ?`,
    )
    .get(waId) as { id: string; number: number } | undefined;
}

function trailOf(executionId: string, db: AppDatabase = app.db): string[] {
  return db.$client
    .prepare(
      `SELECT node_id || '→' || coalesce(output, status) FROM execution_steps WHERE execution_id = ?
        ORDER BY at, rowid`,
    )
    .pluck()
    .all(executionId) as string[];
}

async function waitingForAcknowledgement(
  waId: string,
  runtime: Switchboard = app,
): Promise<{ id: string; number: number }> {
  await postInboundText(runtime.url, { from: waId, text: 'hola' });
  return eventually(() => {
    const execution = executionOf(waId, runtime.db);
    return execution && trailOf(execution.id, runtime.db).includes('wait_ack→waiting')
      ? execution
      : undefined;
  });
}

async function runningConversations(): Promise<Record<number, number>> {
  const reply = await app.api(`/api/workflows/${DEMO_WORKFLOW_ID}/versions`);
  const { versions } = (await reply.json()) as {
    versions: { number: number; runningConversations: number }[];
  };
  return Object.fromEntries(versions.map((version) => [version.number, version.runningConversations]));
}

describe('publishing while a conversation waits for its acknowledgement', () => {
  it('stay: the timeout follows the version the execution started on', async () => {
    const started = await publish(acknowledgeOrEscalate(ACK_TIMEOUT_MINUTES), 'stay');
    const execution = await waitingForAcknowledgement('3480000001');
    expect(execution.number).toBe(started);

    const next = await publish(acknowledgeOrTag('tag_stayed', ACK_TIMEOUT_MINUTES), 'stay');
    expect((await runningConversations())[started]).toBe(1);

    await eventually(() => (trailOf(execution.id).includes('note→out') ? true : undefined), 60_000);
    expect(trailOf(execution.id)).toEqual([
      'new_conversation→out',
      'assign→waiting',
      'assign→assigned',
      'wait_ack→waiting',
      'wait_ack→timeout',
      'lead→waiting',
      'lead→assigned',
      'note→out',
    ]);
    expect(executionOf('3480000001')?.number).toBe(started);
    expect(next).toBe(started + 1);
  });

  it('move_at_safe_point: it moves while it waits, keeps its deadline, and the timeout follows the new edge', async () => {
    const started = await publish(acknowledgeOrTag('tag_old', ACK_TIMEOUT_MINUTES), 'stay');
    const execution = await waitingForAcknowledgement('3480000002');
    expect(execution.number).toBe(started);
    const waitingSince = Date.now();

    // The new version waits an hour: only the deadline set on the old one ends this test in time.
    const moved = await publish(acknowledgeOrTag('tag_new', 60), 'move_at_safe_point');
    const counts = await eventually(async () => {
      const now = await runningConversations();
      return now[moved] === 1 ? now : undefined;
    });
    expect(counts[started]).toBe(0);
    expect(trailOf(execution.id)).toContain(`wait_ack→moved from v${started} to v${moved} at node wait_ack`);

    await eventually(() => (trailOf(execution.id).includes('tag_new→out') ? true : undefined), 60_000);
    expect(Date.now() - waitingSince).toBeLessThan(ACK_TIMEOUT_MINUTES * 60_000 + 30_000);
    expect(trailOf(execution.id)).toEqual([
      'new_conversation→out',
      'assign→waiting',
      'assign→assigned',
      'wait_ack→waiting',
      `wait_ack→moved from v${started} to v${moved} at node wait_ack`,
      'wait_ack→timeout',
      'tag_new→out',
    ]);
    expect(executionOf('3480000002')?.number).toBe(moved);
    expect((await runningConversations())[moved]).toBe(0);

    // The explorer's trace names the move.
    const trace = (await (await app.api(`/api/executions/${encodeURIComponent(execution.id)}`)).json()) as {
      steps: { nodeId: string; status: string; output: string | null }[];
    };
    expect(trace.steps).toContainEqual(
      expect.objectContaining({
        nodeId: 'wait_ack',
        status: 'moved',
        output: `moved from v${started} to v${moved} at node wait_ack`,
      }),
    );
  });
});

describe('a move the shards were not told about at publish time', () => {
  it('is announced again at the next start-up, and the waiting conversation moves then', async () => {
    const first = await startTestRuntime(inject('temporalAddress'));
    let second: Switchboard | undefined;
    try {
      const reply = await first.api(`/api/workflows/${DEMO_WORKFLOW_ID}/publish`, {
        method: 'POST',
        body: JSON.stringify({ graph: acknowledgeOrTag('tag_old', 1), runningExecutions: 'stay' }),
      });
      expect(reply.status).toBe(201);
      const execution = await waitingForAcknowledgement('3480000003', first);
      // Published straight into the database, as if Temporal had been away: nobody told the shards.
      const moved = createWorkflowStore(first.db).publish(
        DEMO_WORKFLOW_ID,
        acknowledgeOrTag('tag_new', 60),
        'published while Temporal was away',
        null,
        Date.now(),
        'move_at_safe_point',
      );
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(trailOf(execution.id, first.db).some((step) => step.includes('moved'))).toBe(false);

      await first.stop();
      second = await startSwitchboard(loadConfig(first.env), pino({ level: 'warn' }));
      const db = second.db;
      await eventually(() => (trailOf(execution.id, db).includes('tag_new→out') ? true : undefined), 90_000);
      expect(trailOf(execution.id, db)).toContain(
        `wait_ack→moved from v${execution.number} to v${moved.number} at node wait_ack`,
      );
    } finally {
      await (second ?? first).stop();
      await rm(first.env.DATA_DIR as string, { recursive: true, force: true });
    }
  });
});
