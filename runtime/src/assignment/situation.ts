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

  const excluded = new Set(effect.excludeAgentIds);
  const agent = (agentId: string) => statements.agent(agentId, effect.conversationId);
  // Read on first use: escalations to the team lead, a named agent or the previous owner never
  // weigh the rest of the team, and reading each member with their load was most of their cost.
  let rotation: AgentForAssignment[] | undefined;
  return {
    effect,
    team,
    get rotation() {
      rotation ??= team
        ? inRotationOrder(
            statements
              .teamMembers(team.id, effect.conversationId)
              .filter((member) => !excluded.has(member.id)),
            statements.rotationPointer(team.id),
          )
        : [];
      return rotation;
    },
    rules: {
      onlyOnline: effect.onlyOnline,
      respectShifts: effect.respectShifts,
      skills: [],
      ignoreCapacity: false,
      now,
    },
    excludedNames: effect.excludeAgentIds.map((id) => agent(id)?.name ?? id),
    isExcluded: (agentId) => excluded.has(agentId),
    agent,
    previousOwnerId: () => statements.previousOwnerId(effect.conversationId),
  };
}
