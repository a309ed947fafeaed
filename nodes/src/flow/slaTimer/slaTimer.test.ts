import { describe, expect, it } from 'vitest';
import { agentReplied, chain, inboundMessage, slaAlert } from '../../testing/builders';
import { assignedTo, ConversationDriver } from '../../testing/drive';

const graph = chain(
  { id: 'start', type: 'trigger.newConversation' },
  { id: 'assign', type: 'assign', config: { teamId: 'team_support' }, via: 'assigned' },
  { id: 'sla', type: 'flow.slaTimer', config: { targetMinutes: 60, warnAtPercent: 80 }, via: 'breached' },
  { id: 'urgent', type: 'action.setPriority', config: { priority: 'urgent' } },
);

function running() {
  const driver = new ConversationDriver(graph);
  driver.send(inboundMessage({ conversationId: 'conv-1' }));
  driver.answer(assignedTo('agent_dev'));
  return driver;
}

describe('SLA timer: first response within 60 minutes, warning at 80 %', () => {
  it('warns the assignee at 48 minutes, then breaches at 60', () => {
    const driver = running();
    const start = driver.now;
    const warning = driver.fireTimer();
    expect(driver.now - start).toBe(48 * 60_000);
    expect(warning.effects).toEqual([
      expect.objectContaining({
        type: 'notify',
        to: { kind: 'agents', agentIds: ['agent_dev'] },
        title: 'SLA at 80%',
      }),
    ]);
    const breach = driver.fireTimer();
    expect(driver.now - start).toBe(60 * 60_000);
    expect(driver.trail).toContain('sla→breached');
    expect(breach.effects).toEqual([expect.objectContaining({ type: 'setPriority', priority: 'urgent' })]);
  });

  it('a reply before the target is "met"', () => {
    const driver = running();
    driver.advance(30 * 60_000);
    driver.send(agentReplied({ conversationId: 'conv-1' }));
    expect(driver.trail.at(-1)).toBe('sla→met');
  });

  it('a breach from the runtime’s SLA policy for the same target ends it "breached" early', () => {
    const driver = running();
    driver.advance(10 * 60_000);
    driver.send(slaAlert({ conversationId: 'conv-1', measure: 'resolution' }));
    expect(driver.trail.at(-1)).not.toBe('sla→breached');
    driver.send(slaAlert({ conversationId: 'conv-1', level: 'warning' }));
    expect(driver.trail.at(-1)).not.toBe('sla→breached');
    driver.send(slaAlert({ conversationId: 'conv-1', measure: 'first_response' }));
    expect(driver.trail).toContain('sla→breached');
  });
});
