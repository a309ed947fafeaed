import { randomUUID } from 'node:crypto';
import type { AgentCandidate, AssignEffect, AssignmentExplanation, SkipReason } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';

/** A reason the assignment can never succeed as asked (retrying will not help). */
export class AssignmentError extends Error {}

interface TeamMemberRow {
  agentId: string;
  name: string;
  status: 'online' | 'away' | 'offline';
  capacity: number;
  openConversations: number;
}

export interface AssignDecision {
  assignmentId: string;
  agentId: string | null;
  explanation: AssignmentExplanation;
  /** False when this effect key had been decided before (a retried activity). */
  created: boolean;
}

/**
 * Picks the agent for one assign effect inside one SQLite transaction: the rotation pointer,
 * agents' load and the assignment row change together or not at all, whichever shard asks.
 */
export function createAssignConversation(db: AppDatabase) {
  const sqlite = db.$client;
  const findByKey = sqlite.prepare<[string], { id: string; agent_id: string | null; explanation: string }>(
    `SELECT id, agent_id, explanation FROM assignments WHERE effect_key = ?`,
  );
  const findTeam = sqlite.prepare<[string], { id: string; name: string }>(
    `SELECT id, name FROM teams WHERE id = ?`,
  );
  const teamMembers = sqlite.prepare<[string], TeamMemberRow>(
    `SELECT a.id AS agentId, a.name, a.status, a.capacity,
            (SELECT count(*) FROM conversations c WHERE c.assignee_agent_id = a.id AND c.status = 'open')
              AS openConversations
       FROM team_members m JOIN agents a ON a.id = m.agent_id
      WHERE m.team_id = ? ORDER BY a.id`,
  );
  const rotationPointer = sqlite
    .prepare<[string], string | null>(`SELECT last_agent_id FROM team_rotation WHERE team_id = ?`)
    .pluck();
  const moveRotation = sqlite.prepare(
    `INSERT INTO team_rotation (team_id, last_agent_id) VALUES (?, ?)
     ON CONFLICT (team_id) DO UPDATE SET last_agent_id = excluded.last_agent_id`,
  );
  const setOwner = sqlite.prepare(`UPDATE conversations SET assignee_agent_id = ?, team_id = ? WHERE id = ?`);
  const insertAssignment = sqlite.prepare(
    `INSERT INTO assignments
       (id, effect_key, conversation_id, agent_id, team_id, workflow_version_id, execution_id, node_id, explanation, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const decide = sqlite.transaction((effect: AssignEffect, now: number): AssignDecision => {
    const earlier = findByKey.get(effect.key);
    if (earlier) {
      return {
        assignmentId: earlier.id,
        agentId: earlier.agent_id,
        explanation: JSON.parse(earlier.explanation),
        created: false,
      };
    }
    const team = findTeam.get(effect.teamId);
    if (!team) throw new AssignmentError(`team "${effect.teamId}" does not exist`);

    const members = teamMembers.all(effect.teamId);
    const lastAgentId = rotationPointer.get(effect.teamId) ?? null;
    // Start the rotation just after whoever got the previous conversation.
    const start = lastAgentId === null ? 0 : members.findIndex((member) => member.agentId > lastAgentId);
    const rotation = start <= 0 ? members : [...members.slice(start), ...members.slice(0, start)];
    const candidates: AgentCandidate[] = rotation.map((member) => {
      const skipReason = skipReasonOf(member);
      return {
        agentId: member.agentId,
        name: member.name,
        openConversations: member.openConversations,
        capacity: member.capacity,
        ...(skipReason ? { skipReason } : {}),
      };
    });
    const chosen = candidates.find((candidate) => !candidate.skipReason) ?? null;
    if (chosen) {
      moveRotation.run(effect.teamId, chosen.agentId);
      setOwner.run(chosen.agentId, effect.teamId, effect.conversationId);
    }
    const explanation: AssignmentExplanation = {
      strategy: effect.strategy,
      teamId: effect.teamId,
      workflowVersionId: effect.workflowVersionId,
      nodeId: effect.nodeId,
      path: effect.path,
      candidates,
      chosenAgentId: chosen?.agentId ?? null,
      summary: summarise(team.name, chosen, candidates),
    };
    const assignmentId = randomUUID();
    insertAssignment.run(
      assignmentId,
      effect.key,
      effect.conversationId,
      chosen?.agentId ?? null,
      effect.teamId,
      effect.workflowVersionId,
      effect.executionId,
      effect.nodeId,
      JSON.stringify(explanation),
      now,
    );
    return { assignmentId, agentId: chosen?.agentId ?? null, explanation, created: true };
  });

  // IMMEDIATE takes the write lock up front, so two processes never both read the same pointer.
  return (effect: AssignEffect, now: number): AssignDecision => decide.immediate(effect, now);
}

function skipReasonOf(member: TeamMemberRow): SkipReason | undefined {
  if (member.status !== 'online') return 'offline';
  if (member.openConversations >= member.capacity) return 'at_capacity';
  return undefined;
}

const skipWords: Record<SkipReason, string> = {
  offline: 'offline',
  at_capacity: 'at capacity',
  lacks_skill: 'lacks the skill',
  off_shift: 'off shift',
  quiet_hours: 'in quiet hours',
};

function summarise(teamName: string, chosen: AgentCandidate | null, candidates: AgentCandidate[]): string {
  const skipped = candidates
    .filter((candidate) => candidate.skipReason)
    .map((candidate) => `${candidate.name} (${skipWords[candidate.skipReason as SkipReason]})`);
  const skippedText = skipped.length ? `; skipped ${skipped.join(', ')}` : '';
  if (chosen) return `Round-robin in ${teamName}: ${chosen.name} was next in the rotation${skippedText}.`;
  if (candidates.length === 0) return `Nobody is in ${teamName}; the conversation stays unassigned.`;
  return `No agent in ${teamName} could take it${skippedText}; the conversation stays unassigned.`;
}
