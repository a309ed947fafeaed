/**
 * The first instant at or after `now` when the wall clock in `timeZone` shows `time` (HH:MM).
 * Found by stepping whole minutes through the zone's offsets, so daylight-saving jumps need no
 * special cases: a time that does not exist that day (02:30 on a spring-forward night) is skipped
 * to the next day that has it.
 */
export function nextClockTime(now: number, time: string, timeZone: string): number {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const start = Math.ceil(now / 60_000) * 60_000;
  // At most 49 hours away (a day, plus a skipped day on a daylight-saving night).
  for (let at = start; at <= start + 49 * 3_600_000; at += 60_000) {
    if (format.format(at) === time) return at;
  }
  throw new Error(`${time} never occurs in ${timeZone}`);
}
