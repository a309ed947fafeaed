import { describe, expect, it } from 'vitest';
import { chain, inboundMessage } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';

describe('tag, priority and close actions', () => {
  it('tag → priority → close run in one step, in order, each one effect', () => {
    const driver = new ConversationDriver(
      chain(
        { id: 'start', type: 'trigger.newConversation' },
        { id: 'vip', type: 'action.tag', config: { tag: 'vip' } },
        { id: 'untag', type: 'action.tag', config: { tag: 'new', change: 'remove' } },
        { id: 'prio', type: 'action.setPriority', config: { priority: 'urgent' } },
        { id: 'close', type: 'action.setStatus', config: { status: 'closed' } },
      ),
    );
    driver.send(inboundMessage());
    expect(
      driver.effects.map((e) => [
        e.type,
        'tag' in e ? `${e.change} ${e.tag}` : 'priority' in e ? e.priority : 'status' in e ? e.status : '',
      ]),
    ).toEqual([
      ['tag', 'add vip'],
      ['tag', 'remove new'],
      ['setPriority', 'urgent'],
      ['setStatus', 'closed'],
    ]);
    expect(driver.state.execution?.status).toBe('completed');
  });

  it('an empty tag name fails the execution naming the field', () => {
    const driver = new ConversationDriver(
      chain(
        { id: 'start', type: 'trigger.newConversation' },
        { id: 'vip', type: 'action.tag', config: { tag: ' ' } },
      ),
    );
    driver.send(inboundMessage());
    expect(driver.outputs[0]?.records.at(-1)).toMatchObject({ status: 'failed', error: 'tag: name the tag' });
  });
});
