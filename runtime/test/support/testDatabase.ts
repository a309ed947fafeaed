import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { openDatabase } from '../../src/db/database';
import { seedDemoWorkspace } from '../../src/demo/seedDemo';
import { DEMO_TEMPLATES, seedTemplates } from '../../src/whatsapp/outbound/messageTemplates';
import { createWorkflowStore } from '../../src/workflows/workflowStore';

/** A fresh in-memory database with the migrations applied and the demo workspace (and templates) seeded, as DEMO=true does. */
export function demoDatabase() {
  const db = openDatabase(':memory:');
  const workflows = createWorkflowStore(db);
  seedDemoWorkspace(db, workflows, Date.now());
  seedTemplates(db, DEMO_TEMPLATES);
  return { db, workflows };
}

export function count(db: ReturnType<typeof openDatabase>, table: string): number {
  return db.$client.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

/**
 * The app's database in a temporary file, with a second connection to it standing for the router
 * worker process (tests hold the write lock with it). `close` closes both and removes the file.
 */
export function fileDatabaseWithWorker(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const file = join(dir, 'switchboard.sqlite');
  const db = openDatabase(file);
  const worker = new Database(file);
  const close = () => {
    worker.close();
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { db, worker, close };
}

/**
 * Resolves after `count` timer turns of 1 ms: while the other connection holds the write lock, a
 * writer that slept inside SQLite's busy handler would keep these from firing.
 */
export function timerTurns(count: number): Promise<number> {
  return new Promise((resolve) => {
    let turns = 0;
    const tick = () => (++turns === count ? resolve(turns) : setTimeout(tick, 1));
    tick();
  });
}

/**
 * Runs `start` while `worker` holds the write lock, as the router worker does while it commits:
 * timers keep firing and `start` does not settle until the lock is released (a writer asleep in
 * SQLite's busy handler would block both). `meanwhile` writes what the worker's transaction
 * commits. Resolves with what `start` gave.
 */
export async function duringWorkerCommit<T>(
  worker: Database.Database,
  start: () => Promise<T>,
  meanwhile?: () => void,
): Promise<T> {
  worker.exec('BEGIN IMMEDIATE');
  let settled = false;
  const started = start().finally(() => {
    settled = true;
  });
  // A rejection is the caller's to see once it awaits; not an unhandled one meanwhile.
  started.catch(() => undefined);
  expect(await timerTurns(20)).toBe(20);
  expect(settled).toBe(false);
  meanwhile?.();
  worker.exec('COMMIT');
  return started;
}
