import { AssignmentError } from './assignmentError';
import type { AgentForAssignment } from './assignmentStatements';

type Shift = AgentForAssignment['shifts'][number];

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// Building a formatter costs far more than using one, and every assignment asks for a few.
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Whether `now` falls inside one of the agent's weekly shifts, read in their own time zone (so
 * daylight saving moves the shift with the agent's clock). No shifts means always on shift. A shift
 * that ends at or before its start runs past midnight into the next day.
 */
export function isOnShift(shifts: Shift[], timeZone: string, now: number): boolean {
  if (shifts.length === 0) return true;
  const local = weekTimeIn(timeZone, now);
  const yesterday = (local.day + 6) % 7;
  return shifts.some((shift) => {
    const start = minutesOf(shift.start);
    const end = minutesOf(shift.end);
    if (start < end) return shift.day === local.day && local.minutes >= start && local.minutes < end;
    return (
      (shift.day === local.day && local.minutes >= start) || (shift.day === yesterday && local.minutes < end)
    );
  });
}

/** Whether `now` is, on the agent's own calendar, one of their days off ("YYYY-MM-DD"). */
export function isHoliday(holidays: string[], timeZone: string, now: number): boolean {
  if (holidays.length === 0) return false;
  // en-CA formats dates as YYYY-MM-DD.
  const today = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  return holidays.includes(today);
}

/** Weekday (Sunday = 0) and minutes since midnight on the wall clock of `timeZone` at `now`. */
export function weekTimeIn(timeZone: string, now: number): { day: number; minutes: number } {
  const parts = formatterFor(timeZone).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    day: WEEKDAYS.indexOf(part('weekday')),
    minutes: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = newFormatter(timeZone);
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function newFormatter(timeZone: string): Intl.DateTimeFormat {
  const options = {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  } as const;
  try {
    return new Intl.DateTimeFormat('en-US', options);
  } catch (error) {
    // A mistyped zone on one agent would fail every retry the same way: say so instead of retrying.
    if (error instanceof RangeError) throw new AssignmentError(`unknown time zone "${timeZone}"`);
    throw error;
  }
}

/** "HH:MM" → minutes since midnight; "24:00" is the end of the day. */
function minutesOf(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}
