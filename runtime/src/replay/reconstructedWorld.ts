import type { AssignEffect, AssignmentExplanation } from '@switchboard/shared';
import type { AgentForAssignment, TeamRecord } from '../assignment/assignmentStatements';
import { explain } from '../assignment/explanation';
import { loadSituation, type SituationSource } from '../assignment/situation';
import { chooseAgent } from '../assignment/strategies';

type Agent = Omit<AgentForAssignment, 'openConversations'>;

/**
 * The people side of the workspace as it stood when a replayed time range began: who is in which
 * team, who owned which open conversation, where each team's rotation stood. Read from the
 * database once (see `loadWorldSnapshot`); every replay run starts from its own copy.
 */
export interface WorldSnapshot {
  agents: Agent[];
  teams: (TeamRecord & { memberIds: string[] })[];
  /** Owner of each conversation that was open and assigned at the start. */
  owners: Record<string, string>;
  /** Last agent each team's rotation handed a conversation to, before the start. */
  rotation: Record<string, string>;
}

export interface SimulatedAssignment {
  agentId: string | null;
  teamId: string | null;
  explanation: AssignmentExplanation;
}

/**
 * The assignment engine's own strategies, run against an in-memory world instead of SQLite, so a
 * replay decides exactly as production would given the same agents and load. Agent load moves
 * with every simulated assignment and close; nothing is written anywhere.
 */
export class ReconstructedWorld implements SituationSource {
  private readonly agents: Map<string, Agent>;
  private readonly teams: Map<string, TeamRecord & { memberIds: string[] }>;
  private readonly owners: Map<string, string>;
  private readonly closed = new Set<string>();
  private readonly load = new Map<string, number>();
  private readonly pointer: Map<string, string>;

  constructor(snapshot: WorldSnapshot) {
    this.agents = new Map(snapshot.agents.map((agent) => [agent.id, agent]));
    this.teams = new Map(
      snapshot.teams.map((team) => [team.id, { ...team, memberIds: [...team.memberIds].sort() }]),
    );
    this.owners = new Map(Object.entries(snapshot.owners));
    this.pointer = new Map(Object.entries(snapshot.rotation));
    for (const agentId of this.owners.values()) this.load.set(agentId, (this.load.get(agentId) ?? 0) + 1);
  }

  team(teamId: string): TeamRecord | null {
    return this.teams.get(teamId) ?? null;
  }

  teamMembers(teamId: string, conversationId: string): AgentForAssignment[] {
    const team = this.teams.get(teamId);
    if (!team) return [];
    return team.memberIds.flatMap((id) => {
      const agent = this.agent(id, conversationId);
      return agent ? [agent] : [];
    });
  }

  agent(agentId: string, conversationId: string): AgentForAssignment | null {
    const agent = this.agents.get(agentId);
    if (!agent) return null;
    // As in the database query: the conversation being assigned does not count against its owner.
    const own = this.owners.get(conversationId) === agentId && !this.closed.has(conversationId) ? 1 : 0;
    return { ...agent, openConversations: (this.load.get(agentId) ?? 0) - own };
  }

  previousOwnerId(conversationId: string): string | null {
    return this.owners.get(conversationId) ?? null;
  }

  rotationPointer(teamId: string): string | null {
    return this.pointer.get(teamId) ?? null;
  }

  /** Decides like `createAssignConversation`; throws AssignmentError where it would. */
  assign(effect: AssignEffect, now: number): SimulatedAssignment {
    const situation = loadSituation(this, effect, now);
    const choice = chooseAgent(situation);
    const agentId = choice.decidedBy?.chosen?.agentId ?? null;
    if (agentId) {
      if (choice.decidedBy?.movesRotation && effect.teamId) this.pointer.set(effect.teamId, agentId);
      this.setOwner(effect.conversationId, agentId);
    }
    return { agentId, teamId: effect.teamId, explanation: explain(situation, choice) };
  }

  /** The conversation was closed (by the replayed graph, or by a person at that time). */
  close(conversationId: string): void {
    if (this.closed.has(conversationId)) return;
    this.closed.add(conversationId);
    const owner = this.owners.get(conversationId);
    if (owner) this.load.set(owner, (this.load.get(owner) ?? 1) - 1);
  }

  reopen(conversationId: string): void {
    if (!this.closed.delete(conversationId)) return;
    const owner = this.owners.get(conversationId);
    if (owner) this.load.set(owner, (this.load.get(owner) ?? 0) + 1);
  }

  /** Open conversations each agent owns now. */
  loadByAgent(): Record<string, number> {
    return Object.fromEntries([...this.agents.keys()].map((id) => [id, this.load.get(id) ?? 0]));
  }

  private setOwner(conversationId: string, agentId: string): void {
    const previous = this.owners.get(conversationId);
    const open = !this.closed.has(conversationId);
    if (previous && open) this.load.set(previous, (this.load.get(previous) ?? 1) - 1);
    this.owners.set(conversationId, agentId);
    if (open) this.load.set(agentId, (this.load.get(agentId) ?? 0) + 1);
  }
}
