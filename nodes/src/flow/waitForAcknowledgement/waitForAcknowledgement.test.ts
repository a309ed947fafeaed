import { describe, expect, it } from 'vitest';
import { acknowledged, agentReplied, chain, inboundMessage } from '../../testing/builders';
import { assignedTo, ConversationDriver } from '../../testing/drive';

const graph = chain(
  { id: 'start', type: 'trigger.newConversation' },
  { id: 'assign', type: 'assign', config: { teamId: 'team_support' }, via: 'assigned' },
  { id: 'ack', type: 'flow.waitForAcknowledgement', config: { timeoutMinutes: 15 }, via: 'timeout' },
  { id: 'lead', type: 'assign', config: { strategy: 'team_lead', teamId: 'team_support' } },
);

function assignedAndWaiting() {
  const driver = new ConversationDriver(graph);
  driver.send(inboundMessage({ conversationId: 'conv-1' }));
  driver.answer(assignedTo('agent_ana'));
  return driver;
}

describe('wait for acknowledgement', () => {
  it('sets a 15-minute deadline once the conversation is assigned', () => {
    const driver = assignedAndWaiting();
    const last = driver.outputs.at(-1);
    expect(last?.timers).toEqual([
      { conversationId: 'conv-1', key: expect.any(String), dueAt: driver.now + 15 * 60_000 },
    ]);
    expect(driver.state.execution?.wait?.nodeId).toBe('ack');
  });

  it('an acknowledgement in time leaves through "acknowledged" and the stale deadline fires into nothing', () => {
    const driver = assignedAndWaiting();
    const timerKey = driver.state.execution?.wait?.timerKey ?? '';
    driver.advance(5 * 60_000);
    driver.send(acknowledged({ conversationId: 'conv-1' }));
    expect(driver.trail.at(-1)).toBe('ack→acknowledged');
    expect(driver.state.execution?.status).toBe('completed');
    const late = driver.send({ type: 'timer.fired', conversationId: 'conv-1', key: timerKey });
    expect(late.effects).toEqual([]);
    expect(late.records).toEqual([]);
  });

  it('no acknowledgement in 15 minutes: leaves through "timeout" and pages the team lead', () => {
    const driver = assignedAndWaiting();
    const out = driver.fireTimer();
    expect(driver.trail.slice(-2)).toEqual(['ack→timeout', 'lead:waiting']);
    expect(out.effects).toEqual([
      expect.objectContaining({ type: 'assign', strategy: 'team_lead', nodeId: 'lead' }),
    ]);
  });

  it('"acknowledged" and "timeout" of the same wait are recorded under different keys', () => {
    // Stored ON CONFLICT DO NOTHING: with one key for both, whichever came second was lost.
    const ackedDriver = assignedAndWaiting();
    ackedDriver.send(acknowledged({ conversationId: 'conv-1' }));
    const timedOutDriver = assignedAndWaiting();
    timedOutDriver.fireTimer();
    const leaving = (driver: ConversationDriver) =>
      driver.outputs.flatMap((out) => out.records).find((r) => r.nodeId === 'ack' && r.status === 'passed');
    const acked = leaving(ackedDriver);
    const timedOut = leaving(timedOutDriver);
    expect([acked?.output, timedOut?.output]).toEqual(['acknowledged', 'timeout']);
    // The two drivers' execution ids differ (the builders number events); the rest must not match.
    const withinExecution = (r: typeof acked) => r?.key.slice(r.executionId.length);
    expect(withinExecution(acked)).not.toBe(withinExecution(timedOut));
  });

  it('a reply does not count when it waits for an acknowledgement only', () => {
    const driver = assignedAndWaiting();
    const out = driver.send(agentReplied({ conversationId: 'conv-1' }));
    expect(out.records).toEqual([]);
    expect(driver.state.execution?.status).toBe('waiting');
  });

  it('waitFor "either" offers a "replied" output and takes the reply', () => {
    const either = chain(
      { id: 'start', type: 'trigger.newConversation' },
      { id: 'ack', type: 'flow.waitForAcknowledgement', config: { waitFor: 'either', timeoutMinutes: 5 } },
    );
    const driver = new ConversationDriver(either);
    driver.send(inboundMessage({ conversationId: 'conv-1' }));
    driver.send(agentReplied({ conversationId: 'conv-1' }));
    expect(driver.trail.at(-1)).toBe('ack→replied');
  });
});
