import { timeZoneSchema } from '@switchboard/shared';
import { z } from 'zod';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM, 24-hour');

export const waitConfigSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('duration'),
    minutes: z
      .number()
      .positive()
      .max(60 * 24 * 90),
  }),
  /** The next time the clock shows `time` in `timeZone` (today or tomorrow). */
  z.object({ mode: z.literal('until'), time: clockTime, timeZone: timeZoneSchema.default('UTC') }),
]);
export type WaitConfig = z.infer<typeof waitConfigSchema>;
