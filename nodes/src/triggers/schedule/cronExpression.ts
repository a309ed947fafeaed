const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Three-letter names, in order from `min` (JAN is 1, SUN is 0). */
  names?: readonly string[];
}

/** The five fields of a classic crontab line; Temporal reads them the same way (7 is Sunday too). */
const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];

/** `*`, `5`, `1-5`, `MON-FRI`, each with an optional `/step`; a field is a comma list of them. */
function partPattern(field: CronField): RegExp {
  const value = field.names ? `(?:\\d{1,2}|${field.names.join('|')})` : '\\d{1,2}';
  return new RegExp(`^(?:\\*|(${value})(?:-(${value}))?)(?:/(\\d{1,2}))?$`, 'i');
}
const PATTERNS = FIELDS.map(partPattern);

const EXAMPLE = 'such as 0 9 * * MON-FRI (9:00 on weekdays)';

/**
 * What is wrong with a 5-field cron expression, or null. The shape is checked here, when the
 * workflow is published, because Temporal only refuses a bad expression when the schedule is
 * created, after the version is already live.
 */
export function cronProblem(cron: string): string | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `use 5 fields (minute, hour, day of month, month, day of week), ${EXAMPLE}`;
  }
  for (const [i, text] of fields.entries()) {
    const field = FIELDS[i] as CronField;
    const pattern = PATTERNS[i] as RegExp;
    for (const part of text.split(',')) {
      const match = pattern.exec(part);
      if (!match) return `the ${field.name} “${text}” is not a number, range, step, list or *, ${EXAMPLE}`;
      const [, from, to, step] = match;
      const start = from === undefined ? field.min : fieldValue(field, from);
      const end = to === undefined ? start : fieldValue(field, to);
      const outOfRange = [start, end].some((value) => value < field.min || value > field.max);
      if (outOfRange) return `the ${field.name} “${text}” goes outside ${field.min}–${field.max}`;
      if (end < start) return `the ${field.name} range “${part}” ends before it starts`;
      if (step !== undefined && Number(step) < 1)
        return `the ${field.name} step in “${part}” must be 1 or more`;
    }
  }
  return null;
}

function fieldValue(field: CronField, text: string): number {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named < 0) return Number(text);
  return field.name === 'month' ? named + 1 : named;
}
