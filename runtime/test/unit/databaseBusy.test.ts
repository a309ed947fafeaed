import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { BUSY_RETRY_AFTER_SECONDS, installErrorHandler } from '../../src/api/httpError';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

describe('a request that meets a locked database', () => {
  it('gets 503 with Retry-After and a JSON error, not 500', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'busy-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'busy.sqlite');
    const worker = new Database(file);
    worker.pragma('journal_mode = WAL');
    worker.exec('CREATE TABLE acks (id TEXT)');
    const api = new Database(file);
    // The real handler waits busy_timeout first; the outcome after the wait is what is tested.
    api.pragma('busy_timeout = 0');
    cleanups.push(
      () => api.close(),
      () => worker.close(),
    );
    // What the router worker does while it writes a batch: it holds the write lock.
    worker.exec('BEGIN IMMEDIATE');
    worker.exec(`INSERT INTO acks VALUES ('worker')`);
    cleanups.push(() => worker.exec('ROLLBACK'));

    const app = Fastify();
    installErrorHandler(app);
    const insert = api.prepare(`INSERT INTO acks VALUES ('api')`);
    app.post('/ack', async () => {
      insert.run();
      return { ok: true };
    });
    const reply = await app.inject({ method: 'POST', url: '/ack' });
    await app.close();

    expect(reply.statusCode).toBe(503);
    expect(reply.headers['retry-after']).toBe(String(BUSY_RETRY_AFTER_SECONDS));
    expect(reply.json()).toEqual({
      error: { code: 'database_busy', message: expect.stringContaining('busy') },
    });
  });
});
