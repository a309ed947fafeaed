import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';

export type AppDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/** How much of the database file SQLite reads through a memory map (the rest with read()). */
export const MAPPED_BYTES = 1024 * 1024 * 1024;

/** Opens the app's SQLite file in WAL mode and applies pending migrations. */
export function openDatabase(file: string): AppDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Savepoints (each webhook message, each assignment has one inside its group's transaction) keep
  // the pages they change in a sub-journal, a temporary file by default: created, written with
  // pwrite and unlinked per transaction. In memory, storing a delivery took 103 instead of 202 µs
  // of CPU (perf: 22% of the time was in subjournalPageIfRequired). Temporary tables and sorts go
  // to memory too; the app's are small.
  sqlite.pragma('temp_store = MEMORY');
  // Several processes (runtime, CLI tools, tests) may share the file; wait for locks instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  // The runtime and its router worker both write this file, and SQLite drops a connection's page
  // cache whenever another connection committed since its last read: at thousands of webhooks/s
  // nearly every lookup re-read its pages with a read() each. Mapped, those pages come from the
  // OS page cache with no call and no copy. Four alternating pairs of the routing benchmark's
  // steady2000: 1.29–1.56 (mean 1.43) against 1.48–1.60 (mean 1.54) ms of product CPU per
  // conversation. Address space only: the OS shares and evicts those pages as its own cache.
  sqlite.pragma(`mmap_size = ${MAPPED_BYTES}`);
  const db = drizzle(sqlite, { schema }) as AppDatabase;
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return db;
}
