import { type RoutedEvent, type WorkflowGraph, workflowGraphSchema } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';
import type { WorldSnapshot } from './reconstructedWorld';

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
}

/** Reads what shadow replay and re-drive need from what the runtime recorded. */
export function createRecordedHistory(db: AppDatabase) {
  const sqlite = db.$client;
  const agents = sqlite.prepare<[], AgentRow>(
    `SELECT id, name, status, capacity, time_zone AS timeZone, shifts, skills, holidays FROM agents
      WHERE deactivated_at IS NULL ORDER BY id`,
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
    worldAt(at: number): WorldSnapshot {
      return {
        agents: agents.all().map((row) => ({
          ...row,
          shifts: JSON.parse(row.shifts),
          skills: JSON.parse(row.skills),
          holidays: JSON.parse(row.holidays),
        })),
        teams: teams.all().map((team) => ({
          id: team.id,
          name: team.name,
          leadAgentId: team.leadAgentId,
          memberIds: team.members ? team.members.split(',') : [],
        })),
        owners: Object.fromEntries(owners.all({ at }).map((row) => [row.conversationId, row.agentId])),
        rotation: Object.fromEntries(rotation.all({ at }).map((row) => [row.teamId, row.agentId])),
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
