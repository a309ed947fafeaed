import type { RequiredSkill } from '@switchboard/shared';
import type { AgentForAssignment } from './assignmentStatements';

/**
 * How well an agent matches the required skills: the sum of their levels in them, or null when
 * any is missing or below its minimum. Nothing required: everyone matches with 0.
 */
export function skillScore(skills: AgentForAssignment['skills'], required: RequiredSkill[]): number | null {
  let score = 0;
  for (const need of required) {
    const level = skills.find((have) => have.skill === need.skill)?.level ?? 0;
    if (level < need.minLevel) return null;
    score += level;
  }
  return score;
}

/** "billing≥3 and french≥1", as the explanation and the canvas say it. */
export function describeSkills(required: RequiredSkill[]): string {
  return required.map((need) => `${need.skill}≥${need.minLevel}`).join(' and ');
}
