import { describe, expect, it } from 'vitest';
import { acknowledged, agentReplied, chain, inboundMessage } from '../../testing/builders';
import { ConversationDriver } from '../../testing/drive';

const graph = (condition: 'unanswered' | 'unassigned') =>
  chain(
    { id: 'late', type: 'trigger.unanswered', config: { condition, minutes: 10 } },
    {
      id: 'page',
      type: 'action.notify',
      config: { to: { kind: 'teamLead', teamId: 'team_support' }, title: 'Waiting 10 min' },
    },
  );

describe('unanswered for 10 minutes', () => {
  it('fires 10 minutes after the customer message when nobody replied', () => {
    const driver = new ConversationDriver(graph('unanswered'));
    const start = driver.now;
    driver.send(inboundMessage({ isNewConversation: false }));
    expect(driver.effects).toEqual([]);
    driver.fireTimer();
    expect(driver.now - start).toBe(10 * 60_000);
    expect(driver.trail).toEqual(['late:waiting', 'late→out', 'page→out']);
    expect(driver.effects).toEqual([expect.objectContaining({ type: 'notify', title: 'Waiting 10 min' })]);
  });

  it('a reply in time stands it down; its deadline then fires into nothing', () => {
    const driver = new ConversationDriver(graph('unanswered'));
    driver.send(inboundMessage());
    const deadline = driver.state.execution?.wait?.timerKey ?? '';
    driver.advance(4 * 60_000);
    driver.send(agentReplied());
    expect(driver.state.execution?.status).toBe('completed');
    const late = driver.send({ type: 'timer.fired', conversationId: 'conv-1', key: deadline });
    expect(late.effects).toEqual([]);
  });

  it('"unassigned" ignores conversations that already have an owner, and an acknowledgement stands it down', () => {
    const owned = new ConversationDriver(graph('unassigned'));
    owned.send(inboundMessage({ facts: { ...inboundMessage().facts, assigneeAgentId: 'agent_ana' } }));
    expect(owned.state.execution).toBeNull();

    const waiting = new ConversationDriver(graph('unassigned'));
    waiting.send(inboundMessage());
    waiting.send(acknowledged());
    expect(waiting.trail.at(-1)).toBe('late:ended');
  });
});
