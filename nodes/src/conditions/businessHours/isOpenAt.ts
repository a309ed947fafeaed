import type { BusinessHoursConfig, OpeningInterval } from './schema';

export interface LocalTime {
  /** YYYY-MM-DD in the team's time zone. */
  date: string;
  /** 0 = Sunday. */
  weekday: number;
  minuteOfDay: number;
  /** The local date before `date`, for intervals that ran past midnight. */
  previousDate: string;
}

/**
 * Whether the team is open at `now`. Everything is decided on the wall clock of `timeZone`, so
 * daylight-saving changes need no special case: on the night clocks skip an hour, an interval
 * spanning it is an hour shorter; on the night they repeat one, an hour longer.
 */
export function isOpenAt({ timeZone, weekly, holidays }: BusinessHoursConfig, now: number): boolean {
  const local = localTime(now, timeZone);
  if (holidays.includes(local.date)) return false;
  // A night shift that began on a holiday did not happen, so its morning hours stay closed too.
  const startedYesterdayOpen = !holidays.includes(local.previousDate);
  return weekly.some((interval) => covers(interval, local, startedYesterdayOpen));
}

function covers(interval: OpeningInterval, local: LocalTime, startedYesterdayOpen: boolean): boolean {
  const start = minutesOf(interval.start);
  const end = minutesOf(interval.end);
  const minute = local.minuteOfDay;
  if (start < end) return interval.day === local.weekday && minute >= start && minute < end;
  if (interval.day === local.weekday && minute >= start) return true;
  return startedYesterdayOpen && interval.day === (local.weekday + 6) % 7 && minute < end;
}

export function minutesOf(clockTime: string): number {
  const [hours = 0, minutes = 0] = clockTime.split(':').map(Number);
  return hours * 60 + minutes;
}

/** Formatters are costly to build and a router shard meets the same few zones again and again. */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function localTime(now: number, timeZone: string): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((part) => [part.type, Number(part.value)]));
  const { year = 0, month = 0, day = 0, hour = 0, minute = 0 } = parts;
  // The calendar arithmetic runs in UTC, where every day has 24 hours.
  const midnight = Date.UTC(year, month - 1, day);
  return {
    date: isoDate(midnight),
    weekday: new Date(midnight).getUTCDay(),
    minuteOfDay: hour * 60 + minute,
    previousDate: isoDate(midnight - 86_400_000),
  };
}

function isoDate(utcMidnight: number): string {
  return new Date(utcMidnight).toISOString().slice(0, 10);
}
