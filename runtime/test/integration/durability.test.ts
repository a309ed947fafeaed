import { rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { eventually, postInboundText, RuntimeProcess, testEnvironment } from '../support/runtimeHarness';

/*
 * The runtime dies like `kill -9` at chosen points between "webhook acknowledged" and "assignment
 * stored"; a new runtime on the same data dir and Temporal server must finish the job exactly once.
 */

let runtime: RuntimeProcess | undefined;

afterEach(async () => {
  await runtime?.stop();
  if (runtime) await rm(runtime.env.DATA_DIR as string, { recursive: true, force: true });
  runtime = undefined;
});

function openAppDatabase(env: Record<string, string>) {
  return new Database(`${env.DATA_DIR}/switchboard.sqlite`, { readonly: true });
}

async function assignmentsFor(env: Record<string, string>, waId: string) {
  const db = openAppDatabase(env);
  try {
    return db
      .prepare(
        `SELECT a.agent_id, a.effect_key FROM assignments a JOIN conversations c ON c.id = a.conversation_id
          WHERE c.customer_wa_id = ?`,
      )
      .all(waId) as { agent_id: string; effect_key: string }[];
  } finally {
    db.close();
  }
}

function executionStatuses(env: Record<string, string>, waId: string): string[] {
  const db = openAppDatabase(env);
  try {
    return db
      .prepare(
        `SELECT e.status FROM executions e JOIN conversations c ON c.id = e.conversation_id WHERE c.customer_wa_id = ?`,
      )
      .pluck()
      .all(waId) as string[];
  } finally {
    db.close();
  }
}

async function expectAssignedOnceAfterRestart(waId: string) {
  const env = runtime?.env ?? {};
  await runtime?.start();
  // The new worker takes over the shard once the dead worker's workflow task times out (~10 s).
  await eventually(() => (executionStatuses(env, waId).includes('completed') ? true : undefined), 60_000);
  // Long enough for a duplicate to surface if the pipeline produced one.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await assignmentsFor(env, waId)).toHaveLength(1);
  expect(executionStatuses(env, waId)).toEqual(['completed']);
  const db = openAppDatabase(env);
  try {
    expect(db.prepare(`SELECT count(*) FROM outbox WHERE dispatched_at IS NULL`).pluck().get()).toBe(0);
  } finally {
    db.close();
  }
}

describe('durability: the runtime is killed after the webhook was acknowledged', () => {
  it('killed after the shard was signalled but before the outbox row was marked: routed once', async () => {
    runtime = new RuntimeProcess(await testEnvironment(inject('temporalAddress')));
    await runtime.start({ SWITCHBOARD_CRASH_AT: 'after-signal' });
    const reply = await postInboundText(runtime.url, { from: '4915100000001', text: 'Hallo' });
    expect(reply.status).toBe(200);
    expect(await runtime.exited()).toBe('SIGKILL');
    expect(await assignmentsFor(runtime.env, '4915100000001')).toHaveLength(0);

    await expectAssignedOnceAfterRestart('4915100000001');
  });

  it('killed after the assignment committed but before the workflow saw the result: assigned once', async () => {
    runtime = new RuntimeProcess(await testEnvironment(inject('temporalAddress')));
    await runtime.start({ SWITCHBOARD_CRASH_AT: 'after-assign-commit' });
    const reply = await postInboundText(runtime.url, { from: '4915100000002', text: 'Hallo' });
    expect(reply.status).toBe(200);
    expect(await runtime.exited()).toBe('SIGKILL');
    // The decision is in the database, but the execution never heard of it.
    expect(await assignmentsFor(runtime.env, '4915100000002')).toHaveLength(1);

    await expectAssignedOnceAfterRestart('4915100000002');
  });

  it('killed with SIGKILL from outside right after the 200: assigned once', async () => {
    runtime = new RuntimeProcess(await testEnvironment(inject('temporalAddress')));
    await runtime.start();
    const reply = await postInboundText(runtime.url, { from: '4915100000003', text: 'Hallo' });
    expect(reply.status).toBe(200);
    await runtime.kill();

    await expectAssignedOnceAfterRestart('4915100000003');
  });
});
