import { type RoutedEvent, type WorkflowGraph, workflowGraphSchema } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';
import type { AgentAvailability, AvailabilityChange, WorldSnapshot } from './reconstructedWorld';

export interface RecordedEvent {
  event: RoutedEvent;
  /** When the runtime stored it (the outbox row), which is when the router saw it. */
  at: number;
}

interface AgentRow {
  id: string;
  name: string;
  status: 'online' | 'away' | 'offline';
  capacity: number;
  timeZone: string;
  shifts: string;
  skills: string;
  holidays: string;
  active: number;
}

/** A recorded availability change: the agent's row as it stood after the change. */
type ChangeRow = Omit<AgentRow, 'id' | 'name'> & {
  agentId: string;
  at: number;
  cause: string;
  teamIds: string;
};

const CHANGE_COLUMNS = `agent_id AS agentId, changed_at AS at, cause, status, capacity, time_zone AS timeZone,
  shifts, skills, holidays, team_ids AS teamIds, active`;

function toAvailability(row: ChangeRow): AgentAvailability {
  return {
    status: row.status,
    capacity: row.capacity,
    timeZone: row.timeZone,
    shifts: JSON.parse(row.shifts),
    skills: JSON.parse(row.skills),
    holidays: JSON.parse(row.holidays),
    teamIds: JSON.parse(row.teamIds),
    active: row.active === 1,
  };
}

/** Reads what shadow replay and re-drive need from what the runtime recorded. */
export function createRecordedHistory(db: AppDatabase) {
  const sqlite = db.$client;
  // Deactivated people too: they may have been working during the range.
  const agents = sqlite.prepare<[], AgentRow>(
    `SELECT id, name, status, capacity, time_zone AS timeZone, shifts, skills, holidays,
            deactivated_at IS NULL AS active FROM agents ORDER BY id`,
  );
  const lastChangeBefore = sqlite.prepare<[string, number], ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM agent_availability_changes WHERE agent_id = ? AND changed_at < ?
      ORDER BY changed_at DESC, id DESC LIMIT 1`,
  );
  const joinedSince = sqlite
    .prepare<[string, number], number>(
      `SELECT 1 FROM agent_availability_changes WHERE agent_id = ? AND cause = 'created' AND changed_at >= ?`,
    )
    .pluck();
  const changesIn = sqlite.prepare<[number, number], ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM agent_availability_changes WHERE changed_at >= ? AND changed_at < ?
      ORDER BY changed_at, id`,
  );
  const teams = sqlite.prepare<
    [],
    { id: string; name: string; leadAgentId: string | null; members: string | null }
  >(
    `SELECT t.id, t.name, t.lead_agent_id AS leadAgentId,
            (SELECT group_concat(agent_id) FROM team_members m WHERE m.team_id = t.id) AS members
       FROM teams t`,
  );
  // The last assignment to someone before the start, for conversations not closed by then.
  const owners = sqlite.prepare<[{ at: number }], { conversationId: string; agentId: string }>(
    `SELECT a.conversation_id AS conversationId, a.agent_id AS agentId FROM assignments a
      WHERE a.rowid = (SELECT a2.rowid FROM assignments a2
                        WHERE a2.conversation_id = a.conversation_id AND a2.agent_id IS NOT NULL
                          AND a2.created_at < @at
                        ORDER BY a2.created_at DESC, a2.rowid DESC LIMIT 1)
        AND NOT EXISTS (SELECT 1 FROM conversations c
                         WHERE c.id = a.conversation_id AND c.status = 'closed' AND c.closed_at < @at)`,
  );
  const rotation = sqlite.prepare<[{ at: number }], { teamId: string; agentId: string }>(
    `SELECT a.team_id AS teamId, a.agent_id AS agentId FROM assignments a
      WHERE a.rowid = (SELECT a2.rowid FROM assignments a2
                        WHERE a2.team_id = a.team_id AND a2.agent_id IS NOT NULL AND a2.created_at < @at
                        ORDER BY a2.created_at DESC, a2.rowid DESC LIMIT 1)`,
  );
  const versionGraphs = sqlite.prepare<[string], { id: string; graph: string }>(
    `SELECT id, graph FROM workflow_versions WHERE workflow_id = ?`,
  );
  const countEvents = sqlite
    .prepare<[number, number], number>(`SELECT count(*) FROM outbox WHERE created_at >= ? AND created_at < ?`)
    .pluck();
  const eventsPage = sqlite.prepare<
    [{ from: number; to: number; afterSeq: number; limit: number }],
    { seq: number; payload: string; createdAt: number }
  >(
    `SELECT seq, payload, created_at AS createdAt FROM outbox
      WHERE created_at >= @from AND created_at < @to AND seq > @afterSeq ORDER BY seq LIMIT @limit`,
  );
  const closes = sqlite.prepare<[number, number], { conversationId: string; at: number }>(
    `SELECT id AS conversationId, closed_at AS at FROM conversations
      WHERE status = 'closed' AND closed_at >= ? AND closed_at < ? ORDER BY closed_at`,
  );
  const recordedAssignees = sqlite.prepare<
    [number, number],
    { conversationId: string; agentId: string | null }
  >(
    `SELECT conversation_id AS conversationId, agent_id AS agentId FROM assignments
      WHERE created_at >= ? AND created_at < ? ORDER BY created_at, rowid`,
  );

  return {
    /**
     * The people side as it stood at `from`, and every availability change up to `to`. An agent's
     * state at `from` is their last recorded change before it; with none recorded, their row as it
     * is now (nothing about them has changed since the history began), unless they joined later.
     */
    worldAt(from: number, to: number): WorldSnapshot {
      const teamRows = teams.all().map((team) => ({
        id: team.id,
        name: team.name,
        leadAgentId: team.leadAgentId,
        memberIds: team.members ? team.members.split(',') : [],
      }));
      const notYetJoined: string[] = [];
      const startingAvailability: AvailabilityChange[] = [];
      const agentRows = agents.all().map((row) => {
        const last = lastChangeBefore.get(row.id, from);
        if (last)
          startingAvailability.push({ agentId: row.id, at: last.at, availability: toAvailability(last) });
        else if (joinedSince.get(row.id, from)) notYetJoined.push(row.id);
        return {
          id: row.id,
          name: row.name,
          status: row.status,
          capacity: row.capacity,
          timeZone: row.timeZone,
          shifts: JSON.parse(row.shifts),
          skills: JSON.parse(row.skills),
          holidays: JSON.parse(row.holidays),
          active: row.active === 1,
        };
      });
      return {
        agents: agentRows,
        teams: teamRows,
        startingAvailability,
        notYetJoined,
        changes: changesIn.all(from, to).map((row) => ({
          agentId: row.agentId,
          at: row.at,
          joined: row.cause === 'created',
          availability: toAvailability(row),
        })),
        owners: Object.fromEntries(owners.all({ at: from }).map((row) => [row.conversationId, row.agentId])),
        rotation: Object.fromEntries(rotation.all({ at: from }).map((row) => [row.teamId, row.agentId])),
      };
    },
    versionGraphs(workflowId: string): Map<string, WorkflowGraph> {
      return new Map(
        versionGraphs
          .all(workflowId)
          .map((row) => [row.id, workflowGraphSchema.parse(JSON.parse(row.graph))]),
      );
    },
    countEvents: (from: number, to: number): number => countEvents.get(from, to) ?? 0,
    /** Recorded events after `afterSeq`, in the order the shards saw them. */
    eventsPage(from: number, to: number, afterSeq: number, limit: number): RecordedEvent[] {
      return eventsPage.all({ from, to, afterSeq, limit }).map((row) => ({
        event: { ...JSON.parse(row.payload), seq: row.seq } as RoutedEvent,
        at: row.createdAt,
      }));
    },
    /** Conversations people closed in the range (only the latest close of each is stored). */
    closesIn: (from: number, to: number) => closes.all(from, to),
    /** The last real assignee of each conversation assigned in the range. */
    recordedAssignees(from: number, to: number): Map<string, string | null> {
      return new Map(recordedAssignees.all(from, to).map((row) => [row.conversationId, row.agentId]));
    },
  };
}

export type RecordedHistory = ReturnType<typeof createRecordedHistory>;
