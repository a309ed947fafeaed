const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(epochMs: number): string {
  return dateTimeFormat.format(epochMs);
}

/** Today's items only need the time; older ones need the date to make sense. */
export function formatWhen(epochMs: number, now: number = Date.now()): string {
  const then = new Date(epochMs);
  return then.toDateString() === new Date(now).toDateString()
    ? timeFormat.format(then)
    : dateTimeFormat.format(then);
}

export function toIso(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}
