import { describe, expect, it } from 'vitest';
import { chain, inboundMessage } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';
import { nextClockTime } from './nextClockTime';

describe('wait', () => {
  it('waits a duration, then continues', () => {
    const driver = new ConversationDriver(
      chain(
        { id: 'start', type: 'trigger.newConversation' },
        { id: 'pause', type: 'flow.wait', config: { mode: 'duration', minutes: 90 } },
        { id: 'tag', type: 'action.tag', config: { tag: 'waited' } },
      ),
    );
    const started = driver.now;
    driver.send(inboundMessage());
    expect(driver.state.execution?.status).toBe('waiting');
    const out = driver.fireTimer();
    expect(driver.now - started).toBe(90 * 60_000);
    expect(out.effects).toEqual([expect.objectContaining({ type: 'tag', tag: 'waited' })]);
  });
});

describe('nextClockTime', () => {
  it('finds 09:00 in São Paulo (UTC−3) later the same day', () => {
    // 2026-06-01T10:00:00Z is 07:00 in São Paulo; 09:00 there is 12:00Z.
    expect(nextClockTime(Date.UTC(2026, 5, 1, 10, 0), '09:00', 'America/Sao_Paulo')).toBe(
      Date.UTC(2026, 5, 1, 12, 0),
    );
  });

  it('rolls over to tomorrow when the time has passed', () => {
    // 2026-06-01T20:00:00Z is 22:00 in Berlin (CEST); next 08:00 Berlin is 2026-06-02T06:00Z.
    expect(nextClockTime(Date.UTC(2026, 5, 1, 20, 0), '08:00', 'Europe/Berlin')).toBe(
      Date.UTC(2026, 5, 2, 6, 0),
    );
  });

  it('skips 02:30 on the spring-forward night in New York to the next day', () => {
    // 2026-03-08: clocks jump 02:00 → 03:00 EST→EDT; 02:30 does not exist. Next 02:30 EDT is 2026-03-09T06:30Z.
    expect(nextClockTime(Date.UTC(2026, 2, 8, 5, 0), '02:30', 'America/New_York')).toBe(
      Date.UTC(2026, 2, 9, 6, 30),
    );
  });
});
