import type { AssignEffect } from '@switchboard/shared';
import { AssignmentError } from './assignmentError';
import type { AgentForAssignment, AssignmentStatements, TeamRecord } from './assignmentStatements';
import { type EligibilityRules, inRotationOrder } from './candidates';

/** Everything the strategies weigh for one assign effect, read inside its transaction. */
export interface AssignmentSituation {
  effect: AssignEffect;
  team: TeamRecord | null;
  /** The team's members in rotation order, without the excluded agents (read on first use). */
  readonly rotation: AgentForAssignment[];
  /** Rules every strategy starts from; skill match adds its skills, team lead drops capacity. */
  rules: EligibilityRules;
  /** Names (ids when unknown) of the agents the effect said never to hand it to. */
  excludedNames: string[];
  isExcluded(agentId: string): boolean;
  /** Anyone, in the team or not, with their load; null when no such agent exists. */
  agent(agentId: string): AgentForAssignment | null;
  /** The conversation's owner, or whoever it was last assigned to. */
  previousOwnerId(): string | null;
}

/** What a situation is read from: the database, or shadow replay's reconstructed world. */
export type SituationSource = Pick<
  AssignmentStatements,
  'team' | 'teamMembers' | 'rotationPointer' | 'agent' | 'previousOwnerId'
>;

export function loadSituation(
  statements: SituationSource,
  effect: AssignEffect,
  now: number,
): AssignmentSituation {
  const team = effect.teamId === null ? null : statements.team(effect.teamId);
  if (effect.teamId !== null && !team) throw new AssignmentError(`team "${effect.teamId}" does not exist`);
  if (!team && effect.strategy !== 'specific_agent')
    throw new AssignmentError(`strategy "${effect.strategy}" needs a team`);
  return new Situation(statements, effect, team, now);
}

/**
 * A class rather than an object of closures: shadow replay builds one per simulated assignment,
 * hundreds of thousands per replay, and closures (each named by tsx's loader) were a large part
 * of what a replayed assignment allocated.
 */
class Situation implements AssignmentSituation {
  readonly rules: EligibilityRules;
  readonly excludedNames: string[];
  private members: AgentForAssignment[] | undefined;

  constructor(
    private readonly statements: SituationSource,
    readonly effect: AssignEffect,
    readonly team: TeamRecord | null,
    now: number,
  ) {
    this.rules = {
      onlyOnline: effect.onlyOnline,
      respectShifts: effect.respectShifts,
      skills: [],
      ignoreCapacity: false,
      now,
    };
    this.excludedNames = effect.excludeAgentIds.map((id) => this.agent(id)?.name ?? id);
  }

  // Read on first use: escalations to the team lead, a named agent or the previous owner never
  // weigh the rest of the team, and reading each member with their load was most of their cost.
  get rotation(): AgentForAssignment[] {
    if (!this.members) {
      const { team, effect, statements } = this;
      this.members = team
        ? inRotationOrder(
            statements
              .teamMembers(team.id, effect.conversationId)
              .filter((member) => !this.isExcluded(member.id)),
            statements.rotationPointer(team.id),
          )
        : [];
    }
    return this.members;
  }

  /** A short list (the previous assignees at most): no set needed. */
  isExcluded(agentId: string): boolean {
    return this.effect.excludeAgentIds.includes(agentId);
  }

  agent(agentId: string): AgentForAssignment | null {
    return this.statements.agent(agentId, this.effect.conversationId);
  }

  previousOwnerId(): string | null {
    return this.statements.previousOwnerId(this.effect.conversationId);
  }
}
