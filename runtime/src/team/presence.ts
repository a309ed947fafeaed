import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';
import type { LivePublisher } from '../live/liveHub';
import { prepareAvailabilityHistory } from './availabilityHistory';

type Status = 'online' | 'away' | 'offline';

/** Online / away / offline: set by the agent, refreshed by activity on their pages, away when idle. */
export function createPresence(db: AppDatabase, live: LivePublisher) {
  const sqlite = db.$client;
  const history = prepareAvailabilityHistory(db);
  const touch = sqlite.prepare<[number, string]>(
    `UPDATE agents SET last_active_at = ?, status = CASE WHEN status = 'away' THEN 'online' ELSE status END
      WHERE id = ?`,
  );
  const statusOf = sqlite.prepare<[string], Status>(`SELECT status FROM agents WHERE id = ?`).pluck();
  const setStatus = sqlite.prepare(`UPDATE agents SET status = ?, last_active_at = ? WHERE id = ?`);
  const idleAgents = sqlite
    .prepare<[number], string>(
      `SELECT id FROM agents WHERE status = 'online' AND last_active_at IS NOT NULL AND last_active_at < ?`,
    )
    .pluck();
  const goAway = sqlite.prepare<[string]>(`UPDATE agents SET status = 'away' WHERE id = ?`);

  const announce = (agentId: string, status: Status) =>
    live.publish(agentId, { type: 'agent.status', agentId, status });

  const activeTransaction = sqlite.transaction((agentId: string, now: number): boolean => {
    if (statusOf.get(agentId) !== 'away') {
      touch.run(now, agentId);
      return false;
    }
    history.changing([agentId], now, 'activity', () => touch.run(now, agentId));
    return true;
  });
  const setTransaction = sqlite.transaction((agentId: string, status: Status, now: number) => {
    const before = statusOf.get(agentId);
    if (before === undefined || before === status) setStatus.run(status, now, agentId);
    else history.changing([agentId], now, 'status', () => setStatus.run(status, now, agentId));
  });
  const idleTransaction = sqlite.transaction((idleSince: number, now: number): string[] => {
    const ids = idleAgents.all(idleSince);
    history.changing(ids, now, 'idle', () => {
      for (const id of ids) goAway.run(id);
    });
    return ids;
  });

  // Each transaction reads, then writes: begun DEFERRED, its write found the lock taken whenever the
  // router worker was committing and failed at once with SQLITE_BUSY (a read transaction is not
  // upgraded by waiting), and that error, thrown from a socket's message handler, ended the process.
  // IMMEDIATE takes the lock before the read; the lock is waited for with the event loop free.
  return {
    /** A sign of life: back from away to online. */
    async active(agentId: string, now: number): Promise<void> {
      if (await writeWhenFree(sqlite, () => activeTransaction.immediate(agentId, now)))
        announce(agentId, 'online');
    },
    async set(agentId: string, status: Status, now: number): Promise<void> {
      await writeWhenFree(sqlite, () => setTransaction.immediate(agentId, status, now));
      announce(agentId, status);
    },
    /** Online agents whose pages have been idle since before `idleSince` become away (as of `now`). */
    async sweepIdle(idleSince: number, now: number): Promise<string[]> {
      const ids = await writeWhenFree(sqlite, () => idleTransaction.immediate(idleSince, now));
      for (const id of ids) announce(id, 'away');
      return ids;
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
