import { describe, expect, it } from 'vitest';
import { addBusinessMs, businessMsBetween, instantOfWallClock } from './businessTime';
import { isOpenAt } from './isOpenAt';
import { businessHoursConfigSchema } from './schema';

const HOUR = 3_600_000;
const berlinOffice = businessHoursConfigSchema.parse({ timeZone: 'Europe/Berlin' });

describe('open time between two instants, Berlin Mon–Fri 09:00–17:00', () => {
  it('counts one hour on Friday and one on Monday across the spring change', () => {
    // Fri 2026-03-27 16:00 CET (UTC+1) = 15:00Z; Mon 2026-03-30 10:00 CEST (UTC+2) = 08:00Z.
    // Open: Fri 16:00–17:00 (1 h) and Mon 09:00–10:00 (1 h); the weekend and the lost hour do not count.
    expect(businessMsBetween(berlinOffice, Date.UTC(2026, 2, 27, 15), Date.UTC(2026, 2, 30, 8))).toBe(
      2 * HOUR,
    );
  });

  it('a three-hour target set at Friday 16:00 is due at Monday 11:00 summer time', () => {
    // 1 h on Friday, then 2 h from Mon 09:00 CEST (07:00Z): due 11:00 CEST = 09:00Z.
    expect(addBusinessMs(berlinOffice, Date.UTC(2026, 2, 27, 15), 3 * HOUR)).toBe(Date.UTC(2026, 2, 30, 9));
  });

  it('skips a holiday and the weekend', () => {
    const christmas = businessHoursConfigSchema.parse({
      timeZone: 'Europe/Berlin',
      holidays: ['2026-12-25'],
    });
    // Thu 2026-12-24 16:00 CET = 15:00Z: 1 h that day, Fri 25th holiday, weekend, then Mon 28th 09:00–10:00 CET.
    expect(addBusinessMs(christmas, Date.UTC(2026, 11, 24, 15), 2 * HOUR)).toBe(Date.UTC(2026, 11, 28, 9));
  });

  it('a schedule that never opens never gets due', () => {
    const closed = businessHoursConfigSchema.parse({ timeZone: 'UTC', weekly: [] });
    expect(addBusinessMs(closed, Date.UTC(2026, 0, 1), HOUR)).toBeNull();
  });
});

describe('night shifts across daylight-saving changes', () => {
  it('Berlin Saturday 22:00–06:00 on 2026-03-28 is 7 real hours', () => {
    const nights = businessHoursConfigSchema.parse({
      timeZone: 'Europe/Berlin',
      weekly: [{ day: 6, start: '22:00', end: '06:00' }],
    });
    // 22:00 CET = 21:00Z Saturday to 06:00 CEST = 04:00Z Sunday.
    expect(businessMsBetween(nights, Date.UTC(2026, 2, 28), Date.UTC(2026, 2, 30))).toBe(7 * HOUR);
  });

  it('New York Saturday 22:00–02:00 on 2026-10-31 is 5 real hours', () => {
    const nights = businessHoursConfigSchema.parse({
      timeZone: 'America/New_York',
      weekly: [{ day: 6, start: '22:00', end: '02:00' }],
    });
    // 22:00 EDT = 02:00Z Sunday to 02:00 EST = 07:00Z Sunday.
    expect(businessMsBetween(nights, Date.UTC(2026, 9, 31), Date.UTC(2026, 10, 2))).toBe(5 * HOUR);
  });

  it('agrees with isOpenAt minute by minute over the changes', () => {
    const nights = businessHoursConfigSchema.parse({
      timeZone: 'America/New_York',
      weekly: [
        { day: 6, start: '22:00', end: '02:00' },
        { day: 0, start: '01:30', end: '03:00' },
      ],
    });
    const from = Date.UTC(2026, 9, 31, 20);
    let openMinutes = 0;
    for (let minute = from; minute < from + 14 * HOUR; minute += 60_000)
      if (isOpenAt(nights, minute)) openMinutes++;
    expect(businessMsBetween(nights, from, from + 14 * HOUR)).toBe(openMinutes * 60_000);
  });
});

describe('wall-clock times that do not exist or happen twice', () => {
  it('02:30 on the Berlin spring-forward night opens at the jump, 01:00Z', () => {
    expect(instantOfWallClock(Date.UTC(2026, 2, 29), 150, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1));
  });

  it('01:30 on the New York fall-back night is its first occurrence, 05:30Z', () => {
    expect(instantOfWallClock(Date.UTC(2026, 10, 1), 90, 'America/New_York')).toBe(
      Date.UTC(2026, 10, 1, 5, 30),
    );
  });
});
