import type { RoutedEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { chain, deliveryFailed, inboundMessage } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';
import { deliveryFailedConfigSchema } from './schema';

/** Whether `event` starts a workflow whose trigger waits for `errorCodes` (none given: any). */
function startsOn(errorCodes: number[] | undefined, event: RoutedEvent): boolean {
  const driver = new ConversationDriver(
    chain({ id: 'start', type: 'trigger.deliveryFailed', config: errorCodes ? { errorCodes } : {} }),
  );
  driver.send(event);
  return driver.state.execution !== null;
}

describe('delivery failed trigger', () => {
  it('with no codes, starts on any failed delivery, even one without a code', () => {
    expect(startsOn(undefined, deliveryFailed({ errorCode: 131026 }))).toBe(true);
    expect(startsOn([], deliveryFailed({ errorCode: null }))).toBe(true);
  });

  it('with codes, starts only on those', () => {
    // 131047: sent outside the 24-hour window; 131026: the number cannot receive messages.
    expect(startsOn([131047], deliveryFailed({ errorCode: 131047 }))).toBe(true);
    expect(startsOn([131047], deliveryFailed({ errorCode: 131026 }))).toBe(false);
    expect(startsOn([131047], deliveryFailed({ errorCode: null }))).toBe(false);
  });

  it('ignores other events', () => {
    expect(startsOn([], inboundMessage())).toBe(false);
  });

  it('rejects codes that are not whole numbers', () => {
    expect(deliveryFailedConfigSchema.safeParse({ errorCodes: [1.5] }).error?.issues[0]?.path).toEqual([
      'errorCodes',
      0,
    ]);
  });

  it('a message sent outside the window bounces: the workflow notes it for the team', () => {
    const driver = new ConversationDriver(
      chain(
        { id: 'start', type: 'trigger.deliveryFailed', config: { errorCodes: [131047] } },
        { id: 'tag', type: 'action.tag', config: { tag: 'undelivered' } },
      ),
    );
    driver.send(deliveryFailed({ errorCode: 131047 }));
    expect(driver.trail).toEqual(['start→out', 'tag→out']);
  });
});
