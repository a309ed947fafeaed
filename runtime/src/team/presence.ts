import type { AppDatabase } from '../db/database';
import type { LivePublisher } from '../live/liveHub';

type Status = 'online' | 'away' | 'offline';

/** Online / away / offline: set by the agent, refreshed by activity on their pages, away when idle. */
export function createPresence(db: AppDatabase, live: LivePublisher) {
  const sqlite = db.$client;
  const touch = sqlite.prepare<[number, string]>(
    `UPDATE agents SET last_active_at = ?, status = CASE WHEN status = 'away' THEN 'online' ELSE status END
      WHERE id = ?`,
  );
  const statusOf = sqlite.prepare<[string], Status>(`SELECT status FROM agents WHERE id = ?`).pluck();
  const setStatus = sqlite.prepare(`UPDATE agents SET status = ?, last_active_at = ? WHERE id = ?`);
  const idle = sqlite.prepare<[number], { id: string }>(
    `UPDATE agents SET status = 'away'
      WHERE status = 'online' AND last_active_at IS NOT NULL AND last_active_at < ? RETURNING id`,
  );

  const announce = (agentId: string, status: Status) =>
    live.publish(agentId, { type: 'agent.status', agentId, status });

  return {
    /** A sign of life: back from away to online. */
    active(agentId: string, now: number): void {
      const before = statusOf.get(agentId);
      touch.run(now, agentId);
      if (before === 'away') announce(agentId, 'online');
    },
    set(agentId: string, status: Status, now: number): void {
      setStatus.run(status, now, agentId);
      announce(agentId, status);
    },
    /** Online agents whose pages have been idle since before `idleSince` become away. */
    sweepIdle(idleSince: number): string[] {
      const ids = idle.all(idleSince).map((row) => row.id);
      for (const id of ids) announce(id, 'away');
      return ids;
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
