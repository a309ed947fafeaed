import type { AssignEffect, AssignmentExplanation } from '@switchboard/shared';
import type { AgentForAssignment, TeamRecord } from '../assignment/assignmentStatements';
import { explain } from '../assignment/explanation';
import { type AssignmentSituation, loadSituation, type SituationSource } from '../assignment/situation';
import { type AssignmentChoice, chooseAgent } from '../assignment/strategies';

type Agent = Omit<AgentForAssignment, 'openConversations'>;

/** What the engine weighs about a person, as one recorded change left it. */
export type AgentAvailability = Pick<
  Agent,
  'status' | 'capacity' | 'timeZone' | 'shifts' | 'skills' | 'holidays'
> & {
  teamIds: string[];
  /** False while deactivated: never offered a team's conversations. */
  active: boolean;
};

export interface AvailabilityChange {
  agentId: string;
  at: number;
  availability: AgentAvailability;
  /** The person's account was created by this change: before it they were not there at all. */
  joined?: boolean;
}

/**
 * The people side of the workspace as it stood when a replayed time range began, and how it moved
 * during the range: who is in which team and available how, who owned which open conversation,
 * where each team's rotation stood. Read from the database once (see `RecordedHistory.worldAt`);
 * every replay run starts from its own copy.
 */
export interface WorldSnapshot {
  /** Everyone, as their rows stand now; `startingAvailability` corrects them to the start. */
  agents: (Agent & { active: boolean })[];
  /** Teams with their members as they stand now. */
  teams: (TeamRecord & { memberIds: string[] })[];
  /** Each agent's last recorded change before the start, where there is one. */
  startingAvailability: AvailabilityChange[];
  /** Agents whose accounts were created after the start. */
  notYetJoined: string[];
  /** Recorded availability changes in the range, in time order. */
  changes: AvailabilityChange[];
  /** Owner of each conversation that was open and assigned at the start. */
  owners: Record<string, string>;
  /** Last agent each team's rotation handed a conversation to, before the start. */
  rotation: Record<string, string>;
}

export interface SimulatedAssignment {
  agentId: string | null;
  teamId: string | null;
  /** Written on first read: a replay pass goes on with the agent alone and never reads it. */
  readonly explanation: AssignmentExplanation;
}

/** A class, so that the lazy explanation is one getter on the prototype, not one per decision. */
class SimulatedDecision implements SimulatedAssignment {
  private written: AssignmentExplanation | undefined;

  constructor(
    readonly agentId: string | null,
    readonly teamId: string | null,
    private readonly situation: AssignmentSituation,
    private readonly choice: AssignmentChoice,
  ) {}

  get explanation(): AssignmentExplanation {
    this.written ??= explain(this.situation, this.choice);
    return this.written;
  }
}

/**
 * The assignment engine's own strategies, run against an in-memory world instead of SQLite, so a
 * replay decides exactly as production would given the same agents and load. Agents' availability
 * follows the recorded changes up to each decision's time; load moves with every simulated
 * assignment and close; nothing is written anywhere.
 */
export class ReconstructedWorld implements SituationSource {
  private readonly agents: Map<string, Agent>;
  private readonly inactive = new Set<string>();
  private readonly notYetJoined: Set<string>;
  private readonly teams: Map<string, TeamRecord & { memberIds: string[] }>;
  private readonly owners: Map<string, string>;
  private readonly closed = new Set<string>();
  private readonly load = new Map<string, number>();
  private readonly pointer: Map<string, string>;
  /**
   * Each agent as the strategies see them, built once and again only after their availability or
   * load moved: a decision weighs the whole team, and copying every member for each one was the
   * largest cost of a replayed assignment. Never changed once built (an explanation keeps them).
   */
  private readonly weighed = new Map<string, AgentForAssignment>();
  private readonly changes: readonly AvailabilityChange[];
  private nextChange = 0;

  constructor(snapshot: WorldSnapshot) {
    this.agents = new Map(
      snapshot.agents.map(({ active, ...agent }) => {
        if (!active) this.inactive.add(agent.id);
        return [agent.id, agent];
      }),
    );
    this.teams = new Map(
      snapshot.teams.map((team) => [team.id, { ...team, memberIds: [...team.memberIds].sort() }]),
    );
    this.notYetJoined = new Set(snapshot.notYetJoined);
    for (const change of snapshot.startingAvailability) this.apply(change);
    for (const team of this.teams.values())
      team.memberIds = team.memberIds.filter((id) => !this.notYetJoined.has(id));
    this.changes = snapshot.changes;
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
    const members: AgentForAssignment[] = [];
    for (const id of team.memberIds) {
      // As in the database query: deactivated members are never offered the team's conversations.
      if (this.inactive.has(id)) continue;
      const agent = this.agent(id, conversationId);
      if (agent) members.push(agent);
    }
    return members;
  }

  agent(agentId: string, conversationId: string): AgentForAssignment | null {
    let weighed = this.weighed.get(agentId);
    if (!weighed) {
      const agent = this.agents.get(agentId);
      if (!agent || this.notYetJoined.has(agentId)) return null;
      weighed = { ...agent, openConversations: this.load.get(agentId) ?? 0 };
      this.weighed.set(agentId, weighed);
    }
    // As in the database query: the conversation being assigned does not count against its owner.
    const own = this.owners.get(conversationId) === agentId && !this.closed.has(conversationId);
    return own ? { ...weighed, openConversations: weighed.openConversations - 1 } : weighed;
  }

  previousOwnerId(conversationId: string): string | null {
    return this.owners.get(conversationId) ?? null;
  }

  rotationPointer(teamId: string): string | null {
    return this.pointer.get(teamId) ?? null;
  }

  /** Decides like `createAssignConversation`; throws AssignmentError where it would. */
  assign(effect: AssignEffect, now: number): SimulatedAssignment {
    this.catchUpTo(now);
    const situation = loadSituation(this, effect, now);
    const choice = chooseAgent(situation);
    const agentId = choice.decidedBy?.chosen?.agentId ?? null;
    if (agentId) {
      if (choice.decidedBy?.movesRotation && effect.teamId) this.pointer.set(effect.teamId, agentId);
      this.setOwner(effect.conversationId, agentId);
    }
    return new SimulatedDecision(agentId, effect.teamId, situation, choice);
  }

  /** The conversation was closed (by the replayed graph, or by a person at that time). */
  close(conversationId: string): void {
    if (this.closed.has(conversationId)) return;
    this.closed.add(conversationId);
    const owner = this.owners.get(conversationId);
    if (owner) this.moveLoad(owner, -1);
  }

  reopen(conversationId: string): void {
    if (!this.closed.delete(conversationId)) return;
    const owner = this.owners.get(conversationId);
    if (owner) this.moveLoad(owner, 1);
  }

  /** Open conversations each agent owns now: everyone active, and anyone still holding some. */
  loadByAgent(): Record<string, number> {
    return Object.fromEntries(
      [...this.agents.keys()]
        .filter((id) => this.load.get(id) || !(this.inactive.has(id) || this.notYetJoined.has(id)))
        .map((id) => [id, this.load.get(id) ?? 0]),
    );
  }

  /** Applies the recorded changes made up to `at` (a change at the same instant came first). */
  private catchUpTo(at: number): void {
    for (let change = this.changes[this.nextChange]; change && change.at <= at; ) {
      this.apply(change);
      this.nextChange += 1;
      change = this.changes[this.nextChange];
    }
  }

  private apply({ agentId, availability, joined }: AvailabilityChange): void {
    const known = this.agents.get(agentId);
    // Someone deleted outright since: nothing to weigh them by, not even a name.
    if (!known) return;
    const { teamIds, active, ...weighed } = availability;
    this.agents.set(agentId, { ...known, ...weighed });
    this.weighed.delete(agentId);
    if (active) this.inactive.delete(agentId);
    else this.inactive.add(agentId);
    if (joined) this.notYetJoined.delete(agentId);
    const memberOf = new Set(teamIds);
    for (const team of this.teams.values()) {
      const member = team.memberIds.includes(agentId);
      if (member === memberOf.has(team.id)) continue;
      team.memberIds = member
        ? team.memberIds.filter((id) => id !== agentId)
        : [...team.memberIds, agentId].sort();
    }
  }

  private setOwner(conversationId: string, agentId: string): void {
    const previous = this.owners.get(conversationId);
    const open = !this.closed.has(conversationId);
    if (previous && open) this.moveLoad(previous, -1);
    this.owners.set(conversationId, agentId);
    if (open) this.moveLoad(agentId, 1);
  }

  private moveLoad(agentId: string, by: number): void {
    const load = this.load.get(agentId);
    this.load.set(agentId, load === undefined ? Math.max(0, by) : load + by);
    this.weighed.delete(agentId);
  }
}
