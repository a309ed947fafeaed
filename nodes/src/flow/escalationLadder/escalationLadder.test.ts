import { describe, expect, it } from 'vitest';
import { acknowledged, assignThenEscalate, inboundMessage } from '../../testing/builders';
import { assignedTo, ConversationDriver } from '../../testing/drive';

const ladder = assignThenEscalate([
  { afterMinutes: 15, action: 'reassign' },
  { afterMinutes: 10, action: 'teamLead' },
  { afterMinutes: 30, action: 'manager' },
]);

function escalating() {
  const driver = new ConversationDriver(ladder);
  driver.send(inboundMessage({ conversationId: 'conv-1' }));
  driver.answer(assignedTo('agent_ana'));
  return driver;
}

describe('escalation ladder: reassign after 15 min, then the team lead, then the managers', () => {
  it('nobody acknowledges: every rung is climbed in order, at the configured times', () => {
    const driver = escalating();
    const start = driver.now;

    const reassign = driver.fireTimer();
    expect(driver.now - start).toBe(15 * 60_000);
    expect(reassign.effects).toEqual([
      expect.objectContaining({ type: 'assign', strategy: 'round_robin', excludeAgentIds: ['agent_ana'] }),
    ]);
    const notified = driver.answer(assignedTo('agent_ben'));
    expect(notified.effects).toEqual([
      expect.objectContaining({ type: 'notify', to: { kind: 'agents', agentIds: ['agent_ben'] } }),
    ]);

    const lead = driver.fireTimer();
    expect(driver.now - start).toBe(25 * 60_000);
    expect(lead.effects).toEqual([
      expect.objectContaining({ type: 'assign', strategy: 'team_lead', teamId: 'team_support' }),
    ]);
    driver.answer(assignedTo('agent_ben'));

    const managers = driver.fireTimer();
    expect(driver.now - start).toBe(55 * 60_000);
    expect(managers.effects).toEqual([
      expect.objectContaining({ type: 'notify', to: { kind: 'role', role: 'manager' } }),
    ]);
    expect(driver.trail.at(-1)).toBe('escalate→exhausted');
    expect(driver.state.execution?.status).toBe('completed');
  });

  it('an acknowledgement between rungs stops the ladder; the old deadline never acts', () => {
    const driver = escalating();
    driver.fireTimer();
    driver.answer(assignedTo('agent_ben'));
    const secondDeadline = driver.state.execution?.wait?.timerKey ?? '';
    driver.send(acknowledged({ conversationId: 'conv-1', agentId: 'agent_ben' }));
    expect(driver.trail.at(-1)).toBe('escalate→acknowledged');
    const stale = driver.send({ type: 'timer.fired', conversationId: 'conv-1', key: secondDeadline });
    expect(stale.effects).toEqual([]);
  });

  it('each rung gets its own effect key, so retries are idempotent but rungs are not merged', () => {
    const driver = escalating();
    driver.fireTimer();
    driver.answer(assignedTo('agent_ben'));
    driver.fireTimer();
    const keys = driver.effects.filter((e) => e.nodeId === 'escalate').map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("the reassignment result becomes the execution's assignee", () => {
    const driver = escalating();
    driver.fireTimer();
    driver.answer(assignedTo('agent_chloe'));
    expect(driver.state.execution?.assigneeId).toBe('agent_chloe');
  });
});
