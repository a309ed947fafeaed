import type Database from 'better-sqlite3';
import { isDatabaseBusy } from '../api/httpError';

/**
 * Polling for a busy write lock: the first pause, doubling up to the longest, and how long a writer
 * polls before it falls back to waiting inside SQLite.
 */
export const LOCK_POLL = { firstPauseMs: 1, longestPauseMs: 4, forMs: 5000 } as const;

/** The outcome of a write that found another connection holding the lock. */
export const LOCK_BUSY = Symbol('write lock busy');

/** The busy_timeout statements of a connection, prepared once: `pragma()` prepares on every call. */
interface BusyTimeoutStatements {
  read: Database.Statement<[], number>;
  off: Database.Statement;
  restore: Map<number, Database.Statement>;
}

const busyTimeoutStatements = new WeakMap<Database.Database, BusyTimeoutStatements>();

function busyTimeoutOf(sqlite: Database.Database): BusyTimeoutStatements {
  let statements = busyTimeoutStatements.get(sqlite);
  if (!statements) {
    statements = {
      read: sqlite.prepare<[], number>('PRAGMA busy_timeout').pluck(),
      off: sqlite.prepare('PRAGMA busy_timeout = 0'),
      restore: new Map(),
    };
    busyTimeoutStatements.set(sqlite, statements);
  }
  return statements;
}

/**
 * Runs `write` (a transaction) only if the write lock is free right now: busy_timeout makes SQLite
 * sleep inside the call, and that sleep blocks the whole event loop.
 */
export function writeIfFree<T>(sqlite: Database.Database, write: () => T): T | typeof LOCK_BUSY {
  const statements = busyTimeoutOf(sqlite);
  const busyTimeout = statements.read.get() as number;
  statements.off.get();
  try {
    return write();
  } catch (error) {
    if (isDatabaseBusy(error as { code?: unknown })) return LOCK_BUSY;
    throw error;
  } finally {
    let restore = statements.restore.get(busyTimeout);
    if (!restore) {
      // A pragma takes no bound parameters; the value is an integer SQLite itself returned.
      restore = sqlite.prepare(`PRAGMA busy_timeout = ${Math.trunc(busyTimeout)}`);
      statements.restore.set(busyTimeout, restore);
    }
    restore.get();
  }
}

/**
 * Runs `work` as one IMMEDIATE transaction once the write lock is free (see `writeWhenFree`): for
 * a transaction that reads before it writes. Begun DEFERRED, such a transaction's first write fails
 * at once with SQLITE_BUSY whenever another connection (the router worker) holds the lock: SQLite
 * does not wait to upgrade a read transaction, busy_timeout or not.
 */
export function transactWhenFree<T>(sqlite: Database.Database, work: () => T): Promise<T> {
  const transaction = sqlite.transaction(work);
  return writeWhenFree(sqlite, () => transaction.immediate());
}

/**
 * Runs `write` once the write lock is free, polling every few milliseconds with the event loop
 * left free meanwhile. The runtime and the router worker are separate processes on one SQLite file;
 * with busy_timeout alone, the waiting one slept in SQLite's back-off (steps of 25–100 ms once it
 * had waited a little), past the moment the lock came free, and served nothing else meanwhile.
 * After LOCK_POLL.forMs it waits inside SQLite as before, so a long hold still ends in SQLITE_BUSY.
 */
export async function writeWhenFree<T>(sqlite: Database.Database, write: () => T): Promise<T> {
  const giveUpAt = Date.now() + LOCK_POLL.forMs;
  for (
    let pause: number = LOCK_POLL.firstPauseMs;
    Date.now() < giveUpAt;
    pause = Math.min(pause * 2, LOCK_POLL.longestPauseMs)
  ) {
    const result = writeIfFree(sqlite, write);
    if (result !== LOCK_BUSY) return result;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  return write();
}
