import { timeZoneSchema } from '@switchboard/shared';
import { z } from 'zod';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM, 24-hour');

export const openingIntervalSchema = z.object({
  /** 0 = Sunday … 6 = Saturday, as `Date#getDay`. */
  day: z.number().int().min(0).max(6),
  start: clockTime,
  /** At or before `start`: the interval runs past midnight into the next day (00:00–00:00 is the whole day). */
  end: clockTime,
});
export type OpeningInterval = z.infer<typeof openingIntervalSchema>;

const weekdaysNineToFive = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));

export const businessHoursConfigSchema = z.object({
  timeZone: timeZoneSchema,
  weekly: z.array(openingIntervalSchema).max(50).default(weekdaysNineToFive),
  /** Local dates on which the team is closed all day. */
  holidays: z
    .array(
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
        .refine(isCalendarDate, 'no such date'),
    )
    .max(366)
    .default([]),
});
export type BusinessHoursConfig = z.infer<typeof businessHoursConfigSchema>;

function isCalendarDate(text: string): boolean {
  const [year = 0, month = 0, day = 0] = text.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
