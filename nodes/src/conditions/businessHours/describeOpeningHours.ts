import type { BusinessHoursConfig } from './schema';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** Weeks read Monday first on the card. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

/** "Mon–Fri 09:00–17:00, Sat 10:00–14:00 · Europe/Berlin". */
export function describeOpeningHours({ timeZone, weekly }: BusinessHoursConfig): string {
  if (weekly.length === 0) return `always closed · ${timeZone}`;
  const daysByHours = new Map<string, number[]>();
  for (const { day, start, end } of weekly) {
    const hours = `${start}–${end}`;
    daysByHours.set(hours, [...(daysByHours.get(hours) ?? []), day]);
  }
  const parts = [...daysByHours].map(([hours, days]) => `${describeDays(days)} ${hours}`);
  return `${parts.join(', ')} · ${timeZone}`;
}

/** Runs of three or more consecutive days read as a range. */
function describeDays(days: number[]): string {
  const ordered = WEEK_ORDER.filter((day) => days.includes(day));
  const runs: number[][] = [];
  for (const day of ordered) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last !== undefined && WEEK_ORDER.indexOf(day) === WEEK_ORDER.indexOf(last) + 1) run.push(day);
    else runs.push([day]);
  }
  return runs
    .flatMap((run) =>
      run.length >= 3
        ? [`${DAY_NAMES[run[0] ?? 0]}–${DAY_NAMES[run.at(-1) ?? 0]}`]
        : run.map((day) => DAY_NAMES[day] ?? ''),
    )
    .join(', ');
}
