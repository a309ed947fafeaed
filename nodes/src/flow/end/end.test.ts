import { describe, expect, it } from 'vitest';
import { chain, inboundMessage } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';

describe('end and run another workflow', () => {
  it('end stops the execution even when edges follow', () => {
    const driver = new ConversationDriver(
      chain(
        { id: 'start', type: 'trigger.newConversation' },
        { id: 'stop', type: 'flow.end' },
        { id: 'never', type: 'action.tag', config: { tag: 'x' } },
      ),
    );
    driver.send(inboundMessage());
    expect(driver.trail).toEqual(['start→out', 'stop:ended']);
    expect(driver.effects).toEqual([]);
  });

  it('run another workflow ends this one and asks for the other to start', () => {
    const driver = new ConversationDriver(
      chain(
        { id: 'start', type: 'trigger.newConversation' },
        { id: 'handoff', type: 'flow.runWorkflow', config: { workflowId: 'wf_vip' } },
      ),
    );
    driver.send(inboundMessage());
    expect(driver.state.execution?.status).toBe('completed');
    expect(driver.effects).toEqual([
      expect.objectContaining({ type: 'startWorkflow', workflowId: 'wf_vip' }),
    ]);
  });
});
