import { describe, expect, it } from 'vitest';
import { chain, inboundMessage, slaAlert } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';
import { slaAlertTrigger } from '.';
import { slaAlertConfigSchema } from './schema';

function startsOn(config: Record<string, unknown>, event: Parameters<ConversationDriver['send']>[0]) {
  const driver = new ConversationDriver(chain({ id: 'start', type: 'trigger.slaAlert', config }));
  driver.send(event);
  return driver.state.execution !== null;
}

describe('SLA warning / breach trigger', () => {
  it('starts on a breach by default, not on a warning', () => {
    expect(startsOn({}, slaAlert({ level: 'breach' }))).toBe(true);
    expect(startsOn({}, slaAlert({ level: 'warning' }))).toBe(false);
  });

  it('can be narrowed to one target', () => {
    const config = { level: 'any', measure: 'resolution' };
    expect(startsOn(config, slaAlert({ level: 'warning', measure: 'resolution' }))).toBe(true);
    expect(startsOn(config, slaAlert({ measure: 'first_response' }))).toBe(false);
  });

  it('ignores messages', () => expect(startsOn({ level: 'any' }, inboundMessage())).toBe(false));

  it('a breach escalates: the workflow raises the priority', () => {
    const driver = new ConversationDriver(
      chain(
        { id: 'start', type: 'trigger.slaAlert', config: { measure: 'first_response' } },
        { id: 'urgent', type: 'action.setPriority', config: { priority: 'urgent' } },
      ),
    );
    driver.send(slaAlert());
    expect(driver.trail).toEqual(['start→out', 'urgent→out']);
  });

  it('the card names level and target', () => {
    expect(slaAlertTrigger.summary(slaAlertConfigSchema.parse({ measure: 'next_response' }))).toBe(
      'breach · next response',
    );
  });
});
