import type { AgentCandidate, AssignStrategy } from '@switchboard/shared';
import { AssignmentError } from './assignmentError';
import type { AgentForAssignment } from './assignmentStatements';
import { type EligibilityRules, toCandidate } from './candidates';
import type { AssignmentSituation } from './situation';
import { skillScore } from './skills';

/** One strategy's go at the conversation. */
export interface AssignmentPass {
  strategy: AssignStrategy;
  /** Best first: the chosen agent is always the first candidate without a skip reason. */
  candidates: AgentCandidate[];
  chosen: AgentCandidate | null;
  /** Why there was nobody to weigh at all (no previous owner, no lead…), for the summary. */
  nobodyBecause?: string;
  /** Team strategies move the team's rotation pointer; asking one particular agent does not. */
  movesRotation: boolean;
}

/** The primary strategy, then (when it found nobody) the fallback among the team. */
export interface AssignmentChoice {
  passes: AssignmentPass[];
  /** The pass that found an agent; null leaves the conversation unassigned. */
  decidedBy: AssignmentPass | null;
}

export function chooseAgent(situation: AssignmentSituation): AssignmentChoice {
  const { strategy, fallback } = situation.effect;
  const primary = runStrategy(strategy, situation);
  const fallsBack = !primary.chosen && fallback !== 'none' && fallback !== strategy && situation.team;
  const passes = fallsBack ? [primary, runStrategy(fallback, situation)] : [primary];
  return { passes, decidedBy: passes.find((pass) => pass.chosen) ?? null };
}

function runStrategy(strategy: AssignStrategy, situation: AssignmentSituation): AssignmentPass {
  switch (strategy) {
    case 'round_robin':
      return teamPass(strategy, situation.rotation, situation.rules);
    case 'least_loaded':
      return leastLoaded(situation);
    case 'skill_match':
      return skillMatch(situation);
    case 'sticky':
      return sticky(situation);
    case 'team_lead':
      return teamLead(situation);
    case 'specific_agent':
      return specificAgent(situation);
  }
}

function teamPass(
  strategy: AssignStrategy,
  ordered: AgentForAssignment[],
  rules: EligibilityRules,
): AssignmentPass {
  const candidates = ordered.map((agent) => toCandidate(agent, rules));
  const chosen = candidates.find((candidate) => !candidate.skipReason) ?? null;
  const nobodyBecause = ordered.length === 0 ? 'no member left' : undefined;
  return { strategy, candidates, chosen, nobodyBecause, movesRotation: true };
}

// Sorting is stable, so equally loaded agents keep their rotation order: ties take turns.
function leastLoaded(situation: AssignmentSituation): AssignmentPass {
  const ordered = [...situation.rotation].sort((a, b) => a.openConversations - b.openConversations);
  return teamPass('least_loaded', ordered, situation.rules);
}

function skillMatch(situation: AssignmentSituation): AssignmentPass {
  const rules = { ...situation.rules, skills: situation.effect.skills };
  const scores = new Map(
    situation.rotation.map((agent) => [agent.id, skillScore(agent.skills, rules.skills)]),
  );
  const score = (agent: AgentForAssignment) => scores.get(agent.id) ?? -1;
  const ordered = [...situation.rotation].sort(
    (a, b) => score(b) - score(a) || a.openConversations - b.openConversations,
  );
  return teamPass('skill_match', ordered, rules);
}

function sticky(situation: AssignmentSituation): AssignmentPass {
  const ownerId = situation.previousOwnerId();
  if (!ownerId) return directedPass('sticky', situation, null, situation.rules, 'no previous owner');
  const owner = situation.agent(ownerId);
  return directedPass('sticky', situation, owner, situation.rules, `previous owner ${ownerId} is gone`);
}

function teamLead(situation: AssignmentSituation): AssignmentPass {
  const team = situation.team;
  const leadId = team?.leadAgentId ?? null;
  // Escalations must reach the lead however busy they are.
  const rules = { ...situation.rules, ignoreCapacity: true };
  if (!team || !leadId) return directedPass('team_lead', situation, null, rules, `${team?.name} has no lead`);
  const lead = situation.agent(leadId);
  if (!lead) throw new AssignmentError(`the lead of team "${team.id}", agent "${leadId}", does not exist`);
  return directedPass('team_lead', situation, lead, rules);
}

function specificAgent(situation: AssignmentSituation): AssignmentPass {
  const agentId = situation.effect.agentId;
  if (!agentId) throw new AssignmentError('strategy "specific_agent" needs an agentId');
  const agent = situation.agent(agentId);
  if (!agent) throw new AssignmentError(`agent "${agentId}" does not exist`);
  return directedPass('specific_agent', situation, agent, situation.rules);
}

function directedPass(
  strategy: AssignStrategy,
  situation: AssignmentSituation,
  agent: AgentForAssignment | null,
  rules: EligibilityRules,
  nobodyBecause = 'nobody named',
): AssignmentPass {
  const nobody = { strategy, candidates: [], chosen: null, movesRotation: false };
  if (!agent) return { ...nobody, nobodyBecause };
  if (situation.isExcluded(agent.id)) return { ...nobody, nobodyBecause: `${agent.name} is excluded` };
  const candidate = toCandidate(agent, rules);
  return { ...nobody, candidates: [candidate], chosen: candidate.skipReason ? null : candidate };
}
