type Interval = { day: number; start: string; end: string };

const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
// Monday first, as opening hours are usually read.
const dayOrder = [1, 2, 3, 4, 5, 6, 0];

function isInterval(value: unknown): value is Interval {
  const v = value as Interval;
  return typeof v === 'object' && v !== null && typeof v.day === 'number';
}

/**
 * One row per weekday: open or closed, and from/to. A day with several intervals keeps them (the
 * picker edits the first and leaves the rest), so a config drawn by hand is never silently cut.
 */
export function WeeklyHoursPicker({
  value,
  onChange,
  path,
}: {
  value: unknown[];
  onChange: (value: Interval[]) => void;
  path: string;
}) {
  const intervals = value.filter(isInterval);
  const update = (day: number, next: Interval | null) => {
    const first = intervals.findIndex((i) => i.day === day);
    const rest = intervals.filter((_, index) => index !== first);
    const result = next ? [...rest, next] : rest.filter((i) => i.day !== day);
    onChange(result.sort((a, b) => dayOrder.indexOf(a.day) - dayOrder.indexOf(b.day)));
  };
  return (
    <table className="weekly-hours" data-field={path} data-testid="weekly-hours">
      <tbody>
        {dayOrder.map((day) => {
          const interval = intervals.find((i) => i.day === day);
          return (
            <tr key={day}>
              <th scope="row">{dayNames[day]}</th>
              <td>
                <label className="checkbox-label">
                  <input
                    type="checkbox"
                    checked={interval !== undefined}
                    aria-label={`${dayNames[day]} open`}
                    onChange={(e) =>
                      update(day, e.target.checked ? { day, start: '09:00', end: '17:00' } : null)
                    }
                  />
                  open
                </label>
              </td>
              <td>
                {interval && (
                  <>
                    <input
                      type="time"
                      value={interval.start}
                      aria-label={`${dayNames[day]} from`}
                      onChange={(e) => update(day, { ...interval, start: e.target.value })}
                    />
                    –
                    <input
                      type="time"
                      value={interval.end}
                      aria-label={`${dayNames[day]} to`}
                      onChange={(e) => update(day, { ...interval, end: e.target.value })}
                    />
                  </>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
