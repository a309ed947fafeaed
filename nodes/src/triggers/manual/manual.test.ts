import { describe, expect, it } from 'vitest';
import { agentReplied, chain, inboundMessage, manualRun, tagChanged } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';

describe('manual trigger', () => {
  it('starts only when someone runs the workflow by hand', () => {
    const started = [manualRun(), inboundMessage(), tagChanged(), agentReplied()].map((event) => {
      const driver = new ConversationDriver(chain({ id: 'start', type: 'trigger.manual' }));
      driver.send(event);
      return [event.type, driver.state.execution !== null];
    });
    expect(started).toEqual([
      ['manual.run', true],
      ['message.received', false],
      ['conversation.tagChanged', false],
      ['agent.replied', false],
    ]);
  });

  it('a manager runs the workflow on a conversation', () => {
    const driver = new ConversationDriver(
      chain(
        { id: 'start', type: 'trigger.manual' },
        { id: 'tag', type: 'action.tag', config: { tag: 'reviewed' } },
      ),
    );
    driver.send(inboundMessage());
    expect(driver.state.execution).toBeNull();
    driver.send(manualRun());
    expect(driver.trail).toEqual(['start→out', 'tag→out']);
  });
});
