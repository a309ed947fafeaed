import { afterEach, expect, it } from 'vitest';
import { seedDemoWorkspace } from '../../src/demo/seedDemo';
import { LiveHub } from '../../src/live/liveHub';
import { createPresence } from '../../src/team/presence';
import { createWorkflowStore } from '../../src/workflows/workflowStore';
import { fileDatabaseWithWorker, timerTurns } from '../support/testDatabase';

let close = () => {};
afterEach(() => close());

/** The app's database, with the router worker's connection able to hold the write lock. */
function withWorker() {
  const opened = fileDatabaseWithWorker('presence');
  close = opened.close;
  seedDemoWorkspace(opened.db, createWorkflowStore(opened.db), Date.now());
  const statusOf = (agentId: string) =>
    opened.db.$client.prepare(`SELECT status FROM agents WHERE id = ?`).pluck().get(agentId);
  return { ...opened, statusOf, presence: createPresence(opened.db, new LiveHub(opened.db)) };
}

it('a sign of life while the router worker commits is recorded once the lock is free, with the event loop free meanwhile', async () => {
  const { worker, statusOf, presence } = withWorker();
  await presence.set('agent_ana', 'away', 1_000);
  worker.exec('BEGIN IMMEDIATE');
  let settled: string | null = null;
  const active = presence.active('agent_ana', 2_000).then(
    () => (settled = 'recorded'),
    (error: { code?: string }) => (settled = `failed: ${error.code}`),
  );
  // A write that read first failed here at once with SQLITE_BUSY; one that slept in SQLite's busy
  // handler would keep these timers from firing.
  expect(await timerTurns(20)).toBe(20);
  expect(settled).toBeNull();
  worker.exec('COMMIT');
  await active;
  expect(settled).toBe('recorded');
  expect(statusOf('agent_ana')).toBe('online');
});

it('a status set and an idle sweep wait for the lock the same way', async () => {
  const { worker, statusOf, presence } = withWorker();
  await presence.set('agent_ben', 'online', 1_000);
  worker.exec('BEGIN IMMEDIATE');
  const setting = presence.set('agent_ben', 'offline', 2_000);
  await timerTurns(10);
  worker.exec('COMMIT');
  await setting;
  expect(statusOf('agent_ben')).toBe('offline');

  await presence.set('agent_chloe', 'online', 3_000);
  worker.exec('BEGIN IMMEDIATE');
  const sweeping = presence.sweepIdle(10_000, 11_000);
  await timerTurns(10);
  worker.exec('COMMIT');
  expect(await sweeping).toContain('agent_chloe');
  expect(statusOf('agent_chloe')).toBe('away');
});
