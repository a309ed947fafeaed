import { localTime, minutesOf } from './isOpenAt';
import type { BusinessHoursConfig } from './schema';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Far enough for any SLA target; a schedule with no opening hours never gets due. */
const SEARCH_DAYS = 400;

export interface Interval {
  start: number;
  end: number;
}

/**
 * The opening intervals (UTC epoch ms) that overlap [from, to), merged and clipped. Same rules as
 * `isOpenAt`: wall-clock times in the team's zone, holidays close their whole local day, and a night
 * shift that would start on a holiday does not happen. A start inside the hour clocks skip opens at
 * the jump; an end inside a repeated hour ends at its first occurrence.
 */
export function openIntervals(hours: BusinessHoursConfig, from: number, to: number): Interval[] {
  if (to <= from) return [];
  const raw: Interval[] = [];
  // Local dates: from the day before `from` (its night shift may still run) to the day of `to`.
  const firstDate = utcMidnightOf(localTime(from, hours.timeZone).date) - DAY;
  const lastDate = utcMidnightOf(localTime(to, hours.timeZone).date);
  for (let date = firstDate; date <= lastDate; date += DAY) raw.push(...intervalsOfLocalDay(hours, date));
  return merge(raw)
    .map((interval) => ({ start: Math.max(interval.start, from), end: Math.min(interval.end, to) }))
    .filter((interval) => interval.end > interval.start);
}

/** Open time between two instants, in ms. */
export function businessMsBetween(hours: BusinessHoursConfig, from: number, to: number): number {
  return openIntervals(hours, from, to).reduce((sum, interval) => sum + interval.end - interval.start, 0);
}

/** The instant at which `ms` of open time has passed since `from`; null when the schedule never opens. */
export function addBusinessMs(hours: BusinessHoursConfig, from: number, ms: number): number | null {
  let remaining = ms;
  let windowStart = from;
  // Searched a week at a time: a few Intl calls per day, and most targets fall in the first week.
  while (windowStart < from + SEARCH_DAYS * DAY) {
    const windowEnd = windowStart + 7 * DAY;
    for (const interval of openIntervals(hours, windowStart, windowEnd)) {
      const length = interval.end - interval.start;
      if (remaining <= length) return interval.start + remaining;
      remaining -= length;
    }
    windowStart = windowEnd;
  }
  return null;
}

function intervalsOfLocalDay(hours: BusinessHoursConfig, date: number): Interval[] {
  const isoDate = isoDateOf(date);
  if (hours.holidays.includes(isoDate)) return [];
  const weekday = new Date(date).getUTCDay();
  const nextIsHoliday = hours.holidays.includes(isoDateOf(date + DAY));
  return hours.weekly
    .filter((interval) => interval.day === weekday)
    .map((interval) => {
      const startMinute = minutesOf(interval.start);
      const endMinute = minutesOf(interval.end);
      const start = instantOfWallClock(date, startMinute, hours.timeZone);
      const endsNextDay = endMinute <= startMinute;
      // The holiday after a night shift closes from its local midnight on.
      const endDate = endsNextDay ? date + DAY : date;
      const endWall = endsNextDay && nextIsHoliday ? 0 : endMinute;
      return { start, end: instantOfWallClock(endDate, endWall, hours.timeZone) };
    });
}

/** The first instant at which the local clock in `timeZone` shows `minute` of `date` or later. */
export function instantOfWallClock(date: number, minute: number, timeZone: string): number {
  const wall = date + minute * MINUTE;
  const before = wall - offsetAt(wall - DAY, timeZone);
  const after = wall - offsetAt(wall + DAY, timeZone);
  const matches = [before, after].filter((instant) => wallClockAt(instant, timeZone) === wall);
  if (matches.length > 0) return Math.min(...matches);
  // The wall time was skipped: the answer is the jump itself, between `after` and `before`.
  let low = Math.min(before, after);
  let high = Math.max(before, after);
  while (high - low > MINUTE) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (wallClockAt(middle, timeZone) >= wall) high = middle;
    else low = middle;
  }
  return high;
}

function wallClockAt(instant: number, timeZone: string): number {
  const local = localTime(instant, timeZone);
  return utcMidnightOf(local.date) + local.minuteOfDay * MINUTE;
}

function offsetAt(instant: number, timeZone: string): number {
  const minuteStart = Math.floor(instant / MINUTE) * MINUTE;
  return wallClockAt(minuteStart, timeZone) - minuteStart;
}

function merge(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

function utcMidnightOf(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`);
}

function isoDateOf(utcMidnight: number): string {
  return new Date(utcMidnight).toISOString().slice(0, 10);
}
