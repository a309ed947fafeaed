import type { RoutedEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { chain, inboundMessage, manualRun, scheduleFired, tagChanged } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';
import { validateGraph } from '../../validation/validateGraph';
import { scheduleTrigger } from '.';
import { scheduleConfigSchema } from './schema';

const weekdayMornings = { cron: '0 9 * * MON-FRI', timeZone: 'Europe/Lisbon' };

const morningSweep = (config: Record<string, unknown> = weekdayMornings) =>
  chain(
    { id: 'start', type: 'trigger.schedule', config },
    { id: 'tag', type: 'action.tag', config: { tag: 'morning-sweep' } },
  );

/** Whether `event` starts the morning sweep on a conversation. */
function startsOn(event: RoutedEvent): boolean {
  const driver = new ConversationDriver(morningSweep());
  driver.send(event);
  return driver.state.execution !== null;
}

/** The fields a config's problems point at. */
function problemFields(config: Record<string, unknown>): string[] {
  const parsed = scheduleConfigSchema.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
}

describe('schedule trigger', () => {
  it('at 9:00 on a weekday the sweep tags the conversation', () => {
    const driver = new ConversationDriver(morningSweep());
    driver.send(scheduleFired({ triggerNodeId: 'start' }));
    expect(driver.trail).toEqual(['start→out', 'tag→out']);
    expect(driver.effects).toEqual([expect.objectContaining({ type: 'tag', tag: 'morning-sweep' })]);
    expect(driver.state.execution?.status).toBe('completed');
  });

  it('starts only when its own schedule fires, never on messages, tags or manual runs', () => {
    expect(startsOn(scheduleFired({ triggerNodeId: 'start' }))).toBe(true);
    expect(startsOn(scheduleFired({ triggerNodeId: 'evening_sweep' }))).toBe(false);
    expect(startsOn(inboundMessage())).toBe(false);
    expect(startsOn(tagChanged())).toBe(false);
    expect(startsOn(manualRun())).toBe(false);
  });

  it('reads the usual crontab forms: steps, ranges, lists, names and 7 for Sunday', () => {
    for (const cron of [
      '* * * * *',
      '*/15 9-17 * * MON-FRI',
      '0 9 1,15 jan-jun 1-5',
      '30 8 * * 7',
      '5/10 * * * *',
    ]) {
      expect(problemFields({ ...weekdayMornings, cron }), cron).toEqual([]);
    }
  });

  it('refuses a malformed cron at the cron field, saying what is wrong', () => {
    for (const cron of [
      '* * * *',
      '61 * * * *',
      '0 25 * * *',
      '0 9 * * FUN',
      '0 9 5-1 * *',
      '*/0 * * * *',
      '',
    ]) {
      expect(problemFields({ ...weekdayMornings, cron }), cron).toEqual(['cron']);
    }
    const parsed = scheduleConfigSchema.safeParse({ ...weekdayMornings, cron: '0 25 * * *' });
    expect(parsed.error?.issues[0]?.message).toBe('the hour “25” goes outside 0–23');
  });

  it('refuses an unknown time zone at the timeZone field', () => {
    expect(problemFields({ ...weekdayMornings, timeZone: 'Europe/Atlantis' })).toEqual(['timeZone']);
    expect(problemFields({ cron: '0 9 * * *' })).toEqual(['timeZone']);
  });

  it('visits unassigned conversations unless told otherwise', () => {
    expect(scheduleConfigSchema.parse(weekdayMornings).audience).toBe('unassigned');
    expect(problemFields({ ...weekdayMornings, audience: 'everyone' })).toEqual(['audience']);
  });

  it('publishing a graph with a bad cron names the node and the cron field', () => {
    const { problems } = validateGraph(morningSweep({ cron: '0 9 * *', timeZone: 'UTC' }));
    expect(problems).toContainEqual(
      expect.objectContaining({ severity: 'error', code: 'invalid_config', nodeId: 'start', field: 'cron' }),
    );
  });

  it('the card says when and for whom', () => {
    const config = scheduleConfigSchema.parse({ ...weekdayMornings, audience: 'unacknowledged' });
    expect(scheduleTrigger.summary(config)).toBe(
      '0 9 * * MON-FRI (Europe/Lisbon), conversations nobody has taken',
    );
  });
});
