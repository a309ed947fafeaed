import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAPPED_BYTES, openDatabase } from '../../src/db/database';

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
      // Pages read through a map: the other process's commits no longer cost a read() per page
      expect(setting('mmap_size')).toBe(MAPPED_BYTES);
    } finally {
      db.$client.close();
    }
  });

  it("reads another connection's commits through the map, including pages still in the WAL", () => {
    const file = join(dir, 'mapped.sqlite');
    const reader = openDatabase(file);
    const writer = openDatabase(file);
    try {
      writer.$client.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      const insert = writer.$client.prepare('INSERT INTO t (v) VALUES (?)');
      const count = reader.$client.prepare<[], number>('SELECT count(*) FROM t').pluck();
      for (let round = 1; round <= 3; round++) {
        writer.$client.transaction(() => {
          for (let i = 0; i < 500; i++) insert.run(`row ${round}-${i} ${'x'.repeat(100)}`);
        })();
        expect(count.get()).toBe(round * 500);
        // Moved into the database file: the reader now finds those pages in the map.
        writer.$client.pragma('wal_checkpoint(PASSIVE)');
        expect(count.get()).toBe(round * 500);
      }
    } finally {
      writer.$client.close();
      reader.$client.close();
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
