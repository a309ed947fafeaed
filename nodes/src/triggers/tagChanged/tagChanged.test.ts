import type { RoutedEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { chain, inboundMessage, tagChanged } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';
import { tagChangedTrigger } from '.';
import { tagChangedConfigSchema } from './schema';

/** Whether `event` starts a workflow whose trigger has `config`. */
function startsOn(config: Record<string, unknown>, event: RoutedEvent): boolean {
  const driver = new ConversationDriver(chain({ id: 'start', type: 'trigger.tagChanged', config }));
  driver.send(event);
  return driver.state.execution !== null;
}

describe('tag changed trigger', () => {
  it('starts when the named tag is added, ignoring its case', () => {
    expect(startsOn({ tag: 'vip' }, tagChanged({ tag: 'VIP', change: 'added' }))).toBe(true);
    expect(startsOn({ tag: 'vip' }, tagChanged({ tag: 'vip', change: 'removed' }))).toBe(false);
    expect(startsOn({ tag: 'vip' }, tagChanged({ tag: 'billing', change: 'added' }))).toBe(false);
  });

  it('can wait for removals, or for either change', () => {
    expect(
      startsOn({ tag: 'waiting', change: 'removed' }, tagChanged({ tag: 'waiting', change: 'removed' })),
    ).toBe(true);
    expect(startsOn({ tag: 'vip', change: 'any' }, tagChanged({ tag: 'vip', change: 'removed' }))).toBe(true);
  });

  it('without a tag, any tag counts', () => {
    expect(startsOn({}, tagChanged({ tag: 'billing' }))).toBe(true);
    expect(startsOn({ tag: '  ' }, tagChanged({ tag: 'billing' }))).toBe(true);
  });

  it('ignores other events', () => {
    expect(startsOn({}, inboundMessage())).toBe(false);
  });

  it('the card says which tag and which change', () => {
    expect(tagChangedTrigger.summary(tagChangedConfigSchema.parse({ tag: 'vip' }))).toBe('“vip” added');
    expect(tagChangedTrigger.summary(tagChangedConfigSchema.parse({ change: 'any' }))).toBe(
      'any tag added or removed',
    );
  });

  it('starts the workflow when an agent tags the conversation "vip"', () => {
    const graph = chain(
      { id: 'start', type: 'trigger.tagChanged', config: { tag: 'vip' } },
      { id: 'urgent', type: 'action.setPriority', config: { priority: 'urgent' } },
    );
    const driver = new ConversationDriver(graph);
    driver.send(tagChanged({ tag: 'billing' }));
    expect(driver.state.execution).toBeNull();
    driver.send(tagChanged({ tag: 'vip' }));
    expect(driver.trail).toEqual(['start→out', 'urgent→out']);
    expect(driver.effects).toEqual([expect.objectContaining({ type: 'setPriority', priority: 'urgent' })]);
  });
});
