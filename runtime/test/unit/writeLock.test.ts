import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_BUSY, writeIfFree } from '../../src/db/writeLock';

const dir = mkdtempSync(join(tmpdir(), 'write-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function twoConnections(name: string) {
  const file = join(dir, `${name}.sqlite`);
  const writer = new Database(file);
  writer.pragma('journal_mode = WAL');
  writer.exec('CREATE TABLE t (v INTEGER)');
  const other = new Database(file);
  writer.pragma('busy_timeout = 5000');
  return { writer, other };
}

const busyTimeout = (sqlite: Database.Database) => sqlite.pragma('busy_timeout', { simple: true });

describe('writeIfFree', () => {
  it('writes when the lock is free and returns what the write returned', () => {
    const { writer } = twoConnections('free');
    const insert = writer.prepare('INSERT INTO t VALUES (?)');
    expect(writeIfFree(writer, () => insert.run(7).changes)).toBe(1);
    expect(writer.prepare('SELECT v FROM t').pluck().all()).toEqual([7]);
    expect(busyTimeout(writer)).toBe(5000);
  });

  it('gives up at once while another connection holds the lock, and keeps the busy timeout', () => {
    const { writer, other } = twoConnections('held');
    const insert = writer.prepare('INSERT INTO t VALUES (?)');
    other.exec('BEGIN IMMEDIATE');
    const startedAt = Date.now();
    const outcome = writeIfFree(writer, () => writer.transaction(() => insert.run(1)).immediate());
    expect(outcome).toBe(LOCK_BUSY);
    // With the 5 s busy timeout in force it would have slept in SQLite.
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(busyTimeout(writer)).toBe(5000);
    other.exec('COMMIT');
    expect(writeIfFree(writer, () => insert.run(2).changes)).toBe(1);
  });

  it('restores whichever busy timeout the connection had, also when the write throws', () => {
    const { writer } = twoConnections('restore');
    for (const timeout of [5000, 250, 5000]) {
      writer.pragma(`busy_timeout = ${timeout}`);
      expect(() =>
        writeIfFree(writer, () => {
          expect(busyTimeout(writer)).toBe(0);
          throw new Error('not a lock');
        }),
      ).toThrow('not a lock');
      expect(busyTimeout(writer)).toBe(timeout);
    }
  });
});
