import { prioritySchema } from '@switchboard/shared';
import { z } from 'zod';
import { businessHoursConfigSchema } from '../conditions/businessHours/schema';

const targetMinutes = z
  .number()
  .positive()
  .max(60 * 24 * 90)
  .nullable()
  .default(null);

/** Which conversations a policy covers; an omitted criterion matches anything. */
export const slaMatchSchema = z.object({
  priority: prioritySchema.optional(),
  teamId: z.string().min(1).optional(),
  tag: z.string().min(1).optional(),
  businessNumberId: z.string().min(1).optional(),
});
export type SlaMatch = z.infer<typeof slaMatchSchema>;

export const slaPolicyInputSchema = z.object({
  name: z.string({ error: 'name the policy' }).trim().min(1, 'name the policy').max(100),
  match: slaMatchSchema.default({}),
  firstResponseMinutes: targetMinutes,
  nextResponseMinutes: targetMinutes,
  resolutionMinutes: targetMinutes,
  /** Null: the clocks run on calendar time. */
  businessHours: businessHoursConfigSchema.nullable().default(null),
  warnAtPercent: z.number().int().min(1).max(99).default(80),
  enabled: z.boolean().default(true),
});
export type SlaPolicyInput = z.infer<typeof slaPolicyInputSchema>;

export const slaPolicySchema = slaPolicyInputSchema.extend({ id: z.string() });
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

export const slaMeasureSchema = z.enum(['first_response', 'next_response', 'resolution']);
export type SlaMeasure = z.infer<typeof slaMeasureSchema>;
