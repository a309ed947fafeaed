import {
  type AssignEffect,
  assignEffectSchema,
  assignStrategySchema,
  requiredSkillSchema,
} from '@switchboard/shared';
import { z } from 'zod';

/** none | round_robin | least_loaded, as the engine takes it. */
const fallbackSchema = assignEffectSchema.shape.fallback.unwrap();

export const assignConfigSchema = z
  .object({
    strategy: assignStrategySchema.default('round_robin'),
    /** Every strategy but specific_agent picks within a team. */
    teamId: z.string().min(1, 'choose a team').optional(),
    /** specific_agent: who. */
    agentId: z.string().min(1, 'choose an agent').optional(),
    /** skill_match: what the agent needs. */
    skills: z.array(requiredSkillSchema).default([]),
    /** Who to try in the team when the strategy finds nobody; unset: round-robin for sticky, else none. */
    fallback: fallbackSchema.optional(),
    onlyOnline: z.boolean().default(true),
    respectShifts: z.boolean().default(false),
    /** If nobody in the team can take it: wait in the queue this long, then try this team (same strategy). */
    overflow: z
      .object({
        teamId: z.string().min(1, 'choose the overflow team'),
        afterMinutes: z
          .number()
          .positive()
          .max(60 * 24),
      })
      .optional(),
  })
  .superRefine((config, issues) => {
    const needs = (path: string, message: string) =>
      issues.addIssue({ code: 'custom', path: [path], message });
    // Only absence is checked here: an empty string has already been reported by the field itself.
    if (config.strategy !== 'specific_agent' && config.teamId === undefined) needs('teamId', 'choose a team');
    if (config.strategy === 'specific_agent' && config.agentId === undefined)
      needs('agentId', 'choose an agent');
    if (config.strategy === 'skill_match' && config.skills.length === 0) needs('skills', 'add a skill');
    // A named agent is the same person in every team: overflowing would only ask them again.
    if (config.strategy === 'specific_agent' && config.overflow)
      needs('overflow', 'overflow needs a strategy that picks within a team');
  });
export type AssignConfig = z.infer<typeof assignConfigSchema>;

/** The fallback the engine is told to use; sticky without one goes round-robin, as people expect. */
export function fallbackOf(config: AssignConfig): AssignEffect['fallback'] {
  return config.fallback ?? (config.strategy === 'sticky' ? 'round_robin' : 'none');
}
