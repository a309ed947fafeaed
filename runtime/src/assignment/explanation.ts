import type { AgentCandidate, AssignmentExplanation, AssignStrategy, SkipReason } from '@switchboard/shared';
import type { AssignmentSituation } from './situation';
import { describeSkills } from './skills';
import type { AssignmentChoice, AssignmentPass } from './strategies';

const labels: Record<AssignStrategy, string> = {
  round_robin: 'round-robin',
  least_loaded: 'least loaded',
  skill_match: 'skill match',
  sticky: 'sticky',
  team_lead: 'team lead',
  specific_agent: 'specific agent',
};

const becauses: Record<AssignStrategy, (chosen: AgentCandidate) => string> = {
  round_robin: () => 'was next in the rotation',
  least_loaded: (chosen) => `had the fewest open conversations (${chosen.openConversations})`,
  skill_match: () => 'matched the skills best',
  sticky: () => 'owned the conversation before',
  team_lead: () => 'leads the team',
  specific_agent: () => 'was asked for',
};

const skipWords: Record<SkipReason, string> = {
  offline: 'offline',
  at_capacity: 'at capacity',
  lacks_skill: 'lacks the skill',
  off_shift: 'off shift',
  quiet_hours: 'in quiet hours',
};

/** Why the conversation went where it went, stored with the assignment and shown to the agent. */
export function explain(situation: AssignmentSituation, choice: AssignmentChoice): AssignmentExplanation {
  const { effect } = situation;
  return {
    strategy: choice.passes.map((pass) => pass.strategy).join(' → '),
    teamId: effect.teamId,
    workflowVersionId: effect.workflowVersionId,
    nodeId: effect.nodeId,
    path: effect.path,
    candidates: everyoneWeighed(choice.passes),
    chosenAgentId: choice.decidedBy?.chosen?.agentId ?? null,
    summary: summarise(situation, choice),
  };
}

/**
 * Each agent once (the inbox lists them by id): those only the first pass weighed, then the last
 * pass's candidates, whose reasons are the ones that decided.
 */
function everyoneWeighed(passes: AssignmentPass[]): AgentCandidate[] {
  const last = passes.at(-1)?.candidates ?? [];
  const inLast = new Set(last.map((candidate) => candidate.agentId));
  const earlier = passes.slice(0, -1).flatMap((pass) => pass.candidates);
  return [...earlier.filter((candidate) => !inLast.has(candidate.agentId)), ...last];
}

function summarise(situation: AssignmentSituation, choice: AssignmentChoice): string {
  const passes = choice.passes.map((pass) => describePass(situation, pass)).join('; then ');
  const excluded = situation.excludedNames.length
    ? `; left out ${situation.excludedNames.join(', ')} (excluded)`
    : '';
  const ending = choice.decidedBy ? '.' : '; the conversation stays unassigned.';
  const sentence = `${passes}${excluded}${ending}`;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function describePass(situation: AssignmentSituation, pass: AssignmentPass): string {
  const label =
    pass.strategy === 'skill_match'
      ? `skill match for ${describeSkills(situation.effect.skills)}`
      : labels[pass.strategy];
  const where = situation.team ? ` in ${situation.team.name}` : '';
  const outcome = pass.chosen
    ? `${pass.chosen.name} ${becauses[pass.strategy](pass.chosen)}`
    : pass.nobodyBecause
      ? `nobody to ask (${pass.nobodyBecause})`
      : 'nobody could take it';
  const skipped = pass.candidates.flatMap((candidate) =>
    candidate.skipReason ? [`${candidate.name} (${skipWords[candidate.skipReason]})`] : [],
  );
  return `${label}${where}: ${outcome}${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`;
}
