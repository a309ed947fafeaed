import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database';

const dir = mkdtempSync(join(tmpdir(), 'open-database-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('opens the file in WAL mode with the connection settings the hot paths rely on', () => {
    const db = openDatabase(join(dir, 'app.sqlite'));
    try {
      const setting = (name: string) => db.$client.pragma(name, { simple: true });
      expect(setting('journal_mode')).toBe('wal');
      // NORMAL
      expect(setting('synchronous')).toBe(1);
      expect(setting('foreign_keys')).toBe(1);
      // MEMORY: savepoint sub-journals are not temporary files (half the CPU of storing a webhook)
      expect(setting('temp_store')).toBe(2);
      expect(setting('busy_timeout')).toBe(5000);
    } finally {
      db.$client.close();
    }
  });

  it('keeps a rolled-back savepoint from changing the outer transaction', () => {
    const db = openDatabase(join(dir, 'savepoints.sqlite'));
    try {
      const sqlite = db.$client;
      sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
      const inner = sqlite.transaction((v: string) => {
        insert.run(v);
        throw new Error('rejected');
      });
      sqlite.transaction(() => {
        insert.run('kept');
        expect(() => inner('undone')).toThrow('rejected');
        insert.run('kept too');
      })();
      expect(sqlite.prepare('SELECT v FROM t ORDER BY id').pluck().all()).toEqual(['kept', 'kept too']);
    } finally {
      db.$client.close();
    }
  });
});
