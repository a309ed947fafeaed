import { describe, expect, it } from 'vitest';
import { branch, chain, inboundMessage } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';
import { businessHoursCondition } from '.';
import { isOpenAt } from './isOpenAt';
import { businessHoursConfigSchema } from './schema';

function hours(config: Record<string, unknown>) {
  const parsed = businessHoursConfigSchema.parse(config);
  return (instant: number) => (isOpenAt(parsed, instant) ? 'open' : 'closed');
}

function problems(config: Record<string, unknown>) {
  return businessHoursConfigSchema
    .safeParse(config)
    .error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
}

const SATURDAY = 6;
const SUNDAY = 0;

describe('business hours: Monday to Friday, 09:00–17:00 by default', () => {
  const berlin = hours({ timeZone: 'Europe/Berlin' });

  it('opens at 09:00 and closes at 17:00 on the local clock', () => {
    // Wednesday 2026-06-03, Berlin on summer time (UTC+2): 09:00 local is 07:00Z, 17:00 local is 15:00Z.
    expect(berlin(Date.UTC(2026, 5, 3, 6, 59))).toBe('closed');
    expect(berlin(Date.UTC(2026, 5, 3, 7, 0))).toBe('open');
    expect(berlin(Date.UTC(2026, 5, 3, 14, 59))).toBe('open');
    expect(berlin(Date.UTC(2026, 5, 3, 15, 0))).toBe('closed');
  });

  it('is closed at the weekend', () => {
    // Saturday 2026-06-06 12:00 in Berlin.
    expect(berlin(Date.UTC(2026, 5, 6, 10, 0))).toBe('closed');
  });

  it('decides the day and the hour in the team’s zone, not in UTC', () => {
    const tokyo = hours({ timeZone: 'Asia/Tokyo' }); // UTC+9
    const honolulu = hours({ timeZone: 'Pacific/Honolulu' }); // UTC−10
    // Monday 2026-06-01 23:30Z: Tuesday 08:30 in Tokyo, not open yet; Monday 13:30 in Honolulu.
    expect(tokyo(Date.UTC(2026, 5, 1, 23, 30))).toBe('closed');
    expect(honolulu(Date.UTC(2026, 5, 1, 23, 30))).toBe('open');
    // Saturday 2026-06-06 00:30Z: Saturday 09:30 in Tokyo, the weekend; still Friday 14:30 in Honolulu.
    expect(tokyo(Date.UTC(2026, 5, 6, 0, 30))).toBe('closed');
    expect(honolulu(Date.UTC(2026, 5, 6, 0, 30))).toBe('open');
  });
});

describe('business hours across daylight-saving changes', () => {
  it('Berlin, 2026-03-29: clocks jump 02:00 → 03:00, the night shift is an hour shorter', () => {
    // The switch happens at 01:00Z: before it Berlin is UTC+1 (CET), after it UTC+2 (CEST).
    const nightShift = hours({
      timeZone: 'Europe/Berlin',
      weekly: [{ day: SATURDAY, start: '22:00', end: '06:00' }],
    });
    expect(nightShift(Date.UTC(2026, 2, 28, 20, 59))).toBe('closed'); // Sat 21:59 CET
    expect(nightShift(Date.UTC(2026, 2, 28, 21, 0))).toBe('open'); // Sat 22:00 CET
    expect(nightShift(Date.UTC(2026, 2, 29, 0, 59))).toBe('open'); // Sun 01:59 CET
    expect(nightShift(Date.UTC(2026, 2, 29, 1, 0))).toBe('open'); // Sun 03:00 CEST: 02:xx never happens
    expect(nightShift(Date.UTC(2026, 2, 29, 3, 59))).toBe('open'); // Sun 05:59 CEST
    expect(nightShift(Date.UTC(2026, 2, 29, 4, 0))).toBe('closed'); // Sun 06:00 CEST: 7 real hours after opening
  });

  it('Berlin: 09:00 opening is 08:00Z on the Friday before the change and 07:00Z on the Monday after', () => {
    const berlin = hours({ timeZone: 'Europe/Berlin' });
    expect(berlin(Date.UTC(2026, 2, 27, 7, 30))).toBe('closed'); // Fri 08:30 CET
    expect(berlin(Date.UTC(2026, 2, 27, 8, 0))).toBe('open'); // Fri 09:00 CET
    expect(berlin(Date.UTC(2026, 2, 30, 6, 30))).toBe('closed'); // Mon 08:30 CEST
    expect(berlin(Date.UTC(2026, 2, 30, 7, 0))).toBe('open'); // Mon 09:00 CEST
  });

  it('New York, 2026-11-01: 01:00–02:00 happens twice, the night shift is an hour longer', () => {
    // The switch happens at 06:00Z: before it New York is UTC−4 (EDT), after it UTC−5 (EST).
    const nightShift = hours({
      timeZone: 'America/New_York',
      weekly: [{ day: SATURDAY, start: '22:00', end: '02:00' }],
    });
    expect(nightShift(Date.UTC(2026, 10, 1, 1, 59))).toBe('closed'); // Sat 21:59 EDT
    expect(nightShift(Date.UTC(2026, 10, 1, 2, 0))).toBe('open'); // Sat 22:00 EDT
    expect(nightShift(Date.UTC(2026, 10, 1, 5, 30))).toBe('open'); // Sun 01:30 EDT, the first time
    expect(nightShift(Date.UTC(2026, 10, 1, 6, 30))).toBe('open'); // Sun 01:30 EST, the second time
    expect(nightShift(Date.UTC(2026, 10, 1, 6, 59))).toBe('open'); // Sun 01:59 EST
    expect(nightShift(Date.UTC(2026, 10, 1, 7, 0))).toBe('closed'); // Sun 02:00 EST: 5 real hours after opening
  });

  it('New York: 09:00 opening is 13:00Z on the Friday before the change and 14:00Z on the Monday after', () => {
    const newYork = hours({ timeZone: 'America/New_York' });
    expect(newYork(Date.UTC(2026, 9, 30, 12, 59))).toBe('closed'); // Fri 08:59 EDT
    expect(newYork(Date.UTC(2026, 9, 30, 13, 0))).toBe('open'); // Fri 09:00 EDT
    expect(newYork(Date.UTC(2026, 10, 2, 13, 59))).toBe('closed'); // Mon 08:59 EST
    expect(newYork(Date.UTC(2026, 10, 2, 14, 0))).toBe('open'); // Mon 09:00 EST
  });
});

describe('business hours: nights, whole days and holidays', () => {
  it('an interval that ends before it starts runs past midnight into the next day', () => {
    const lateLine = hours({ timeZone: 'UTC', weekly: [{ day: 5, start: '22:00', end: '06:00' }] });
    // Friday 2026-06-05 22:00 UTC to Saturday 06:00.
    expect(lateLine(Date.UTC(2026, 5, 5, 21, 59))).toBe('closed');
    expect(lateLine(Date.UTC(2026, 5, 5, 23, 0))).toBe('open');
    expect(lateLine(Date.UTC(2026, 5, 6, 5, 59))).toBe('open');
    expect(lateLine(Date.UTC(2026, 5, 6, 6, 0))).toBe('closed');
    // Thursday night is not Friday night.
    expect(lateLine(Date.UTC(2026, 5, 5, 2, 0))).toBe('closed');
  });

  it('00:00–00:00 is the whole day', () => {
    const sundays = hours({ timeZone: 'UTC', weekly: [{ day: SUNDAY, start: '00:00', end: '00:00' }] });
    expect(sundays(Date.UTC(2026, 5, 7, 0, 0))).toBe('open'); // Sunday 00:00
    expect(sundays(Date.UTC(2026, 5, 7, 23, 59))).toBe('open');
    expect(sundays(Date.UTC(2026, 5, 8, 0, 0))).toBe('closed'); // Monday
  });

  it('a holiday closes its whole local day', () => {
    const berlin = hours({ timeZone: 'Europe/Berlin', holidays: ['2026-12-25'] });
    // Friday 2026-12-25 11:00 CET (UTC+1) is Christmas; Thursday the 24th at 11:00 is a working day.
    expect(berlin(Date.UTC(2026, 11, 25, 10, 0))).toBe('closed');
    expect(berlin(Date.UTC(2026, 11, 24, 10, 0))).toBe('open');
    // 2026-12-24 23:30Z is already the 25th in Berlin.
    const allWeek = hours({
      timeZone: 'Europe/Berlin',
      weekly: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '00:00' })),
      holidays: ['2026-12-25'],
    });
    expect(allWeek(Date.UTC(2026, 11, 24, 22, 59))).toBe('open'); // 24th, 23:59 CET
    expect(allWeek(Date.UTC(2026, 11, 24, 23, 0))).toBe('closed'); // 25th, 00:00 CET
  });

  it('a night shift that would start on a holiday does not happen, into the next morning either', () => {
    const fridayNights = hours({
      timeZone: 'Europe/Berlin',
      weekly: [{ day: 5, start: '22:00', end: '06:00' }],
      holidays: ['2026-12-25'],
    });
    // Saturday 2026-12-26 02:00 CET, after Christmas night; a week earlier the shift ran.
    expect(fridayNights(Date.UTC(2026, 11, 26, 1, 0))).toBe('closed');
    expect(fridayNights(Date.UTC(2026, 11, 19, 1, 0))).toBe('open');
  });
});

describe('business hours configuration', () => {
  it('shows the week compactly on the card', () => {
    expect(
      businessHoursCondition.summary(businessHoursConfigSchema.parse({ timeZone: 'Europe/Berlin' })),
    ).toBe('Mon–Fri 09:00–17:00 · Europe/Berlin');
    const weekend = businessHoursConfigSchema.parse({
      timeZone: 'America/Sao_Paulo',
      weekly: [
        { day: 6, start: '10:00', end: '14:00' },
        { day: 0, start: '10:00', end: '14:00' },
        { day: 1, start: '08:00', end: '20:00' },
      ],
    });
    expect(businessHoursCondition.summary(weekend)).toBe(
      'Sat, Sun 10:00–14:00, Mon 08:00–20:00 · America/Sao_Paulo',
    );
  });

  it('names the mistake and where it is', () => {
    expect(problems({})).toEqual([['timeZone', 'choose a time zone']]);
    expect(problems({ timeZone: 'Europe/Berln' })).toEqual([
      ['timeZone', 'use a time zone name such as Europe/Berlin or America/Sao_Paulo'],
    ]);
    expect(
      problems({
        timeZone: 'UTC',
        weekly: [{ day: 7, start: '24:00', end: '9:00' }],
        holidays: ['2026-02-30', '2026-2-3'],
      }),
    ).toEqual([
      ['weekly.0.day', expect.any(String)],
      ['weekly.0.start', 'use HH:MM, 24-hour'],
      ['weekly.0.end', 'use HH:MM, 24-hour'],
      ['holidays.0', 'no such date'],
      ['holidays.1', 'use YYYY-MM-DD'],
    ]);
  });
});

describe('business hours in a workflow', () => {
  it('a message at night gets the after-hours tag, one in office hours is assigned', () => {
    const graph = branch(
      chain(
        { id: 'start', type: 'trigger.newConversation' },
        {
          id: 'hours',
          type: 'condition.businessHours',
          config: { timeZone: 'America/Sao_Paulo' },
          via: 'open',
        },
        { id: 'assign', type: 'assign', config: { teamId: 'team_support' } },
      ),
      'hours',
      'closed',
      { id: 'afterHours', type: 'action.tag', config: { tag: 'after-hours' } },
    );
    const night = new ConversationDriver(graph);
    night.now = Date.UTC(2026, 5, 3, 1, 0); // Tuesday 22:00 in São Paulo (UTC−3)
    night.send(inboundMessage());
    expect(night.trail).toEqual(['start→out', 'hours→closed', 'afterHours→out']);

    const day = new ConversationDriver(graph);
    day.now = Date.UTC(2026, 5, 3, 13, 0); // Wednesday 10:00 in São Paulo
    day.send(inboundMessage());
    expect(day.trail).toEqual(['start→out', 'hours→open', 'assign:waiting']);
  });
});
