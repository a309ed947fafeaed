import { z } from 'zod';

export const slaTimerConfigSchema = z.object({
  /** first_response: met when an agent replies; resolution: met when the conversation is closed. */
  measure: z.enum(['first_response', 'resolution']).default('first_response'),
  targetMinutes: z
    .number()
    .positive()
    .max(60 * 24 * 30)
    .default(60),
  /** Warn the assignee at this share of the target (0 turns the warning off). */
  warnAtPercent: z.number().int().min(0).max(99).default(80),
});
export type SlaTimerConfig = z.infer<typeof slaTimerConfigSchema>;
