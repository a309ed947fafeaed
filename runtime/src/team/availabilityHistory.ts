import type { AppDatabase } from '../db/database';
import type { agentAvailabilityChanges } from '../db/schema';

export type AvailabilityCause = (typeof agentAvailabilityChanges.$inferSelect)['cause'];

/**
 * The history of what the assignment engine weighs about people (status, capacity, skills, shifts,
 * time zone, holidays, teams, being active). Every writer of those makes its change through
 * `changing`, so the history and the rows commit together and can never disagree; shadow replay
 * reads it back to rebuild who was available at any moment.
 *
 * Each row is the whole picture after a change rather than the one field that moved: a replay then
 * needs only the last row before a moment, never a chain of differences.
 */
export function prepareAvailabilityHistory(db: AppDatabase) {
  const sqlite = db.$client;
  const append = sqlite.prepare<[{ agentId: string; at: number; cause: AvailabilityCause }]>(
    `INSERT INTO agent_availability_changes
       (agent_id, changed_at, cause, status, capacity, time_zone, shifts, skills, holidays, team_ids, active)
     SELECT a.id, @at, @cause, a.status, a.capacity, a.time_zone, a.shifts, a.skills, a.holidays,
            (SELECT json_group_array(team_id) FROM
               (SELECT team_id FROM team_members WHERE agent_id = a.id ORDER BY team_id)),
            a.deactivated_at IS NULL
       FROM agents a WHERE a.id = @agentId`,
  );
  const hasHistory = sqlite
    .prepare<[string], number>(`SELECT 1 FROM agent_availability_changes WHERE agent_id = ? LIMIT 1`)
    .pluck();

  const changing = sqlite.transaction(
    <T>(agentIds: Iterable<string>, at: number, cause: AvailabilityCause, write: () => T): T => {
      const ids = [...agentIds];
      // Without it, a replay of a time before someone's first change would see them as they are
      // after it. Dated 0: the picture held for as far back as anyone can tell.
      for (const agentId of ids) {
        if (!hasHistory.get(agentId)) append.run({ agentId, at: 0, cause: 'baseline' });
      }
      const result = write();
      for (const agentId of ids) append.run({ agentId, at, cause });
      return result;
    },
  );

  return {
    /**
     * Runs `write`, which changes the availability of `agentIds`, and records each one's picture
     * after it, all in one transaction (a savepoint inside an enclosing one).
     */
    changing: changing as <T>(
      agentIds: Iterable<string>,
      at: number,
      cause: AvailabilityCause,
      write: () => T,
    ) => T,
  };
}

export type AvailabilityHistory = ReturnType<typeof prepareAvailabilityHistory>;
