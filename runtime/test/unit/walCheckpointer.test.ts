import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startWalCheckpointer, type WalCheckpointer } from '../../src/db/walCheckpointer';
import { eventually } from '../support/runtimeHarness';

const dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));
let checkpointer: WalCheckpointer | null = null;
afterEach(async () => {
  await checkpointer?.stop();
  checkpointer = null;
});

/** The rows in the main database file alone, as if the WAL had been lost. */
function rowsInMainFile(file: string): number {
  const copy = join(dir, `copy-${Math.random()}.sqlite`);
  copyFileSync(file, copy);
  const sqlite = new Database(copy, { readonly: true });
  try {
    return sqlite.prepare('SELECT count(*) FROM t').pluck().get() as number;
  } catch {
    return 0;
  } finally {
    sqlite.close();
    rmSync(copy);
  }
}

describe('WAL checkpointer thread', () => {
  it('moves commits into the database file while the committing connection never checkpoints', async () => {
    const file = join(dir, 'app.sqlite');
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('wal_autocheckpoint = 0');
    sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
    const insert = sqlite.prepare('INSERT INTO t (body) VALUES (?)');
    for (let i = 0; i < 500; i++) insert.run('x'.repeat(500));
    expect(rowsInMainFile(file)).toBe(0);

    const errors: string[] = [];
    checkpointer = startWalCheckpointer(file, (message) => errors.push(message), 20);
    await eventually(() => (rowsInMainFile(file) === 500 ? true : undefined), 10_000);
    expect(errors).toEqual([]);
    sqlite.close();
  });
});
