import type { AgentCandidate, RequiredSkill, SkipReason } from '@switchboard/shared';
import type { AgentForAssignment } from './assignmentStatements';
import { isHoliday, isOnShift } from './shifts';
import { skillScore } from './skills';

/** What makes an agent able to take this conversation now. */
export interface EligibilityRules {
  onlyOnline: boolean;
  respectShifts: boolean;
  /** Required by skill match only. */
  skills: RequiredSkill[];
  /** Escalations must reach the team lead however busy the lead is. */
  ignoreCapacity: boolean;
  now: number;
}

/** The first rule the agent fails, in the order a person would check: here, working, free, able. */
export function skipReasonOf(agent: AgentForAssignment, rules: EligibilityRules): SkipReason | undefined {
  if (rules.onlyOnline && agent.status !== 'online') return 'offline';
  if (
    rules.respectShifts &&
    (isHoliday(agent.holidays, agent.timeZone, rules.now) ||
      !isOnShift(agent.shifts, agent.timeZone, rules.now))
  )
    return 'off_shift';
  if (!rules.ignoreCapacity && agent.openConversations >= agent.capacity) return 'at_capacity';
  if (skillScore(agent.skills, rules.skills) === null) return 'lacks_skill';
  return undefined;
}

export function toCandidate(agent: AgentForAssignment, rules: EligibilityRules): AgentCandidate {
  const skipReason = skipReasonOf(agent, rules);
  return {
    agentId: agent.id,
    name: agent.name,
    openConversations: agent.openConversations,
    capacity: agent.capacity,
    ...(skipReason ? { skipReason } : {}),
  };
}

/** Members (sorted by id) starting just after whoever the team gave the previous conversation to. */
export function inRotationOrder<Member extends { id: string }>(
  members: Member[],
  lastAgentId: string | null,
): Member[] {
  const start = lastAgentId === null ? 0 : members.findIndex((member) => member.id > lastAgentId);
  return start <= 0 ? members : [...members.slice(start), ...members.slice(0, start)];
}
