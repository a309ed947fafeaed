import { describe, expect, it } from 'vitest';
import { businessHoursConfigSchema } from '../conditions/businessHours/schema';
import { evaluateSla, type SlaTimeline } from './evaluateSla';
import { type SlaPolicy, slaPolicySchema } from './policy';
import { selectPolicy } from './selectPolicy';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function policy(fields: Partial<SlaPolicy> & { id?: string } = {}): SlaPolicy {
  return slaPolicySchema.parse({ id: 'p', name: 'policy', ...fields });
}

/** 2026-06-03 (a Wednesday) at hh:mm UTC. */
const at = (hh: number, mm = 0) => Date.UTC(2026, 5, 3, hh, mm);
const inbound = (time: number) => ({ direction: 'inbound' as const, at: time });
const outbound = (time: number) => ({ direction: 'outbound' as const, at: time });

describe('an SLA on calendar time: first 30 min, next 60 min, resolution 240 min, warning at 80 %', () => {
  const calendar = policy({ firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 240 });
  const timeline: SlaTimeline = {
    openedAt: at(10),
    messages: [
      inbound(at(10)),
      outbound(at(10, 20)), // first response after 20 min
      inbound(at(11)),
      outbound(at(12, 30)), // next response after 90 min: breached at 12:00
      inbound(at(13)),
      outbound(at(13, 10)), // next response after 10 min
    ],
    closedAt: at(14),
  };
  const clocks = evaluateSla(calendar, timeline, at(15));

  it('first response met in 20 min; warning would have come at 24 min, due at 30', () => {
    expect(clocks[0]).toMatchObject({
      measure: 'first_response',
      state: 'met',
      elapsedMs: 20 * MINUTE,
      warnAt: null, // 20 min of counted time never reached the 24-min warning
      dueAt: null,
    });
  });

  it('the first next response breached at 12:00 after a warning at 11:48', () => {
    expect(clocks[1]).toMatchObject({
      measure: 'next_response',
      cycle: 1,
      state: 'breached',
      elapsedMs: 90 * MINUTE,
      warnAt: at(11, 48),
      dueAt: at(12),
    });
    expect(clocks[2]).toMatchObject({
      measure: 'next_response',
      cycle: 2,
      state: 'met',
      elapsedMs: 10 * MINUTE,
    });
  });

  it('resolution pauses while waiting on the customer: 20 + 90 + 10 = 120 min, met', () => {
    // Runs 10:00–10:20, 11:00–12:30, 13:00–13:10; paused 10:20–11:00, 12:30–13:00 and 13:10–close.
    expect(clocks[3]).toMatchObject({ measure: 'resolution', state: 'met', elapsedMs: 120 * MINUTE });
  });

  it('while the customer waits the clock runs and its due time is projected', () => {
    const early = evaluateSla(
      calendar,
      { ...timeline, messages: timeline.messages.slice(0, 3), closedAt: null },
      at(11, 30),
    );
    expect(early[1]).toMatchObject({
      state: 'running',
      elapsedMs: 30 * MINUTE,
      warnAt: at(11, 48),
      dueAt: at(12),
    });
    // Resolution: 20 min then 30 min since 11:00 = 50 min; 190 min remain from 11:30: due 14:40 if nothing changes.
    expect(early[2]).toMatchObject({
      measure: 'resolution',
      state: 'running',
      elapsedMs: 50 * MINUTE,
      dueAt: at(14, 40),
    });
    const waiting = evaluateSla(
      calendar,
      { ...timeline, messages: timeline.messages.slice(0, 2), closedAt: null },
      at(10, 40),
    );
    expect(waiting[1]).toMatchObject({ measure: 'resolution', state: 'paused', elapsedMs: 20 * MINUTE });
  });
});

describe('only people respond', () => {
  it('a workflow greeting neither stops the response clocks nor pauses resolution', () => {
    const calendar = policy({ firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 240 });
    const automated = (time: number) => ({ ...outbound(time), automated: true });
    const clocks = evaluateSla(
      calendar,
      {
        openedAt: at(10),
        // Greeting at 10:01 (automation), agent at 10:20; customer 11:00, auto-reply 11:01, agent 11:30.
        messages: [inbound(at(10)), automated(at(10, 1)), outbound(at(10, 20)), inbound(at(11))].concat([
          automated(at(11, 1)),
          outbound(at(11, 30)),
        ]),
        closedAt: null,
      },
      at(12),
    );
    expect(clocks.map((clock) => [clock.measure, clock.state, clock.elapsedMs / MINUTE])).toEqual([
      ['first_response', 'met', 20], // not 1
      ['next_response', 'met', 30], // not 1
      // Runs 10:00–10:20 and 11:00–11:30 (paused only from the agent's replies): 50 min, paused now.
      ['resolution', 'paused', 50],
    ]);
  });
});

describe('the 24-hour window', () => {
  it('an unanswered response clock stops when the window shuts: neither met nor breached', () => {
    const long = policy({ firstResponseMinutes: 30 * 60 });
    const [clock] = evaluateSla(
      long,
      { openedAt: at(10), messages: [inbound(at(10))], closedAt: null },
      at(10) + 25 * HOUR,
    );
    // 24 h of the 30-h target ran; 80 % of 30 h is exactly 24 h, reached as the window shut.
    expect(clock).toMatchObject({
      state: 'window_closed',
      elapsedMs: 24 * HOUR,
      warnAt: at(10) + 24 * HOUR,
      dueAt: null,
    });
  });

  it('a reply after the window (a template) does not make the clock met', () => {
    const long = policy({ firstResponseMinutes: 30 * 60 });
    const [clock] = evaluateSla(
      long,
      { openedAt: at(10), messages: [inbound(at(10)), outbound(at(10) + 26 * HOUR)], closedAt: null },
      at(10) + 27 * HOUR,
    );
    expect(clock?.state).toBe('window_closed');
  });

  it('a customer message during the wait keeps the window open longer', () => {
    const long = policy({ firstResponseMinutes: 30 * 60 });
    // Second message at +20 h: the window lasts until +44 h, so the 30-h target is breached at +30 h.
    const [clock] = evaluateSla(
      long,
      { openedAt: at(10), messages: [inbound(at(10)), inbound(at(10) + 20 * HOUR)], closedAt: null },
      at(10) + 31 * HOUR,
    );
    expect(clock).toMatchObject({ state: 'breached', dueAt: at(10) + 30 * HOUR });
  });
});

describe('business hours across the Berlin spring change (Mon–Fri 09:00–17:00)', () => {
  const berlin = businessHoursConfigSchema.parse({ timeZone: 'Europe/Berlin' });

  it('a message on Sunday evening is due an hour after Monday opens, on summer time', () => {
    const office = policy({ firstResponseMinutes: 60, businessHours: berlin });
    // Sun 2026-03-29 20:00 CEST = 18:00Z; Monday opens 09:00 CEST = 07:00Z: warn 07:48Z, due 08:00Z.
    const [clock] = evaluateSla(
      office,
      {
        openedAt: Date.UTC(2026, 2, 29, 18),
        messages: [inbound(Date.UTC(2026, 2, 29, 18)), outbound(Date.UTC(2026, 2, 30, 8, 30))],
        closedAt: null,
      },
      Date.UTC(2026, 2, 30, 12),
    );
    expect(clock).toMatchObject({
      state: 'breached',
      elapsedMs: 90 * MINUTE,
      warnAt: Date.UTC(2026, 2, 30, 7, 48),
      dueAt: Date.UTC(2026, 2, 30, 8),
    });
  });

  it('a message on Saturday evening waits out a closed window: no business time ever ran', () => {
    const office = policy({ firstResponseMinutes: 60, businessHours: berlin });
    // Sat 2026-03-28 20:00 CET = 19:00Z; the window shuts Sunday 19:00Z, before Monday opens.
    const [clock] = evaluateSla(
      office,
      { openedAt: Date.UTC(2026, 2, 28, 19), messages: [inbound(Date.UTC(2026, 2, 28, 19))], closedAt: null },
      Date.UTC(2026, 2, 30, 12),
    );
    expect(clock).toMatchObject({
      state: 'window_closed',
      elapsedMs: 0,
      dueAt: null,
      windowClosesAt: Date.UTC(2026, 2, 29, 19),
    });
  });

  it('resolution counts 30 min on Friday (winter time) and 105 on Monday (summer time)', () => {
    const office = policy({ resolutionMinutes: 180, businessHours: berlin });
    const [clock] = evaluateSla(
      office,
      {
        openedAt: Date.UTC(2026, 2, 27, 15), // Fri 16:00 CET
        messages: [
          inbound(Date.UTC(2026, 2, 27, 15)),
          outbound(Date.UTC(2026, 2, 27, 15, 30)), // waiting on the customer from Fri 16:30 CET
          inbound(Date.UTC(2026, 2, 30, 7, 15)), // Mon 09:15 CEST
        ],
        closedAt: Date.UTC(2026, 2, 30, 9), // Mon 11:00 CEST
      },
      Date.UTC(2026, 2, 30, 12),
    );
    expect(clock).toMatchObject({ state: 'met', elapsedMs: 135 * MINUTE });
  });
});

describe('choosing the policy: the most specific wins', () => {
  const policies = [
    policy({ id: 'a-default', name: 'everyone' }),
    policy({ id: 'b-urgent', name: 'urgent', match: { priority: 'urgent' } }),
    policy({ id: 'c-vip', name: 'vip', match: { tag: 'vip' } }),
    policy({ id: 'd-sales-urgent', name: 'sales urgent', match: { teamId: 'sales', priority: 'urgent' } }),
    policy({
      id: 'e-off',
      name: 'off',
      match: { tag: 'vip', teamId: 'sales', priority: 'urgent' },
      enabled: false,
    }),
  ];
  const subject = { priority: 'normal' as const, teamId: 'sales', tags: [], businessNumberId: 'n1' };

  it('falls back to the catch-all', () => expect(selectPolicy(policies, subject)?.id).toBe('a-default'));
  it('two criteria beat one', () =>
    expect(selectPolicy(policies, { ...subject, priority: 'urgent', tags: ['vip'] })?.id).toBe(
      'd-sales-urgent',
    ));
  it('between single criteria a tag beats a priority', () =>
    expect(selectPolicy(policies, { ...subject, teamId: null, priority: 'urgent', tags: ['vip'] })?.id).toBe(
      'c-vip',
    ));
  it('a disabled policy never applies', () =>
    expect(selectPolicy(policies.slice(4), { ...subject, priority: 'urgent', tags: ['vip'] })).toBeNull());
});
