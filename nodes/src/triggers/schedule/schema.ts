import { timeZoneSchema } from '@switchboard/shared';
import { z } from 'zod';
import { cronProblem } from './cronExpression';

/** Which open conversations of the workflow a run visits. */
export const scheduleAudienceSchema = z.enum([
  'all_open',
  'unassigned',
  /** Given to an agent who has not taken it yet. */
  'unacknowledged',
]);
export type ScheduleAudience = z.infer<typeof scheduleAudienceSchema>;

export const scheduleConfigSchema = z.object({
  cron: z
    .string({ error: 'enter a cron schedule such as 0 9 * * MON-FRI' })
    .trim()
    .superRefine((cron, ctx) => {
      const problem = cronProblem(cron);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** The cron times are wall-clock times here, daylight saving included. */
  timeZone: timeZoneSchema,
  audience: scheduleAudienceSchema.default('unassigned'),
});
export type ScheduleConfig = z.infer<typeof scheduleConfigSchema>;
