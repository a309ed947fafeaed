import { describe, expect, it } from 'vitest';
import { assignOnNewConversation, inboundMessage } from '../../testing/builders';
import { assignedTo, ConversationDriver } from '../../testing/drive';
import { assignAction, assignConfigSchema } from '.';

const MINUTE = 60_000;

function newConversation(config: Record<string, unknown>) {
  const driver = new ConversationDriver(assignOnNewConversation(config));
  const out = driver.send(inboundMessage({ conversationId: 'conv-1' }));
  return { driver, asked: out.effects };
}

describe('assign node', () => {
  it('asks the engine for the configured strategy, with everything it needs to choose', () => {
    const { asked } = newConversation({
      strategy: 'skill_match',
      teamId: 'team_support',
      skills: [{ skill: 'billing', minLevel: 3 }],
      fallback: 'round_robin',
      respectShifts: true,
    });
    expect(asked).toEqual([
      expect.objectContaining({
        type: 'assign',
        strategy: 'skill_match',
        teamId: 'team_support',
        agentId: null,
        skills: [{ skill: 'billing', minLevel: 3 }],
        fallback: 'round_robin',
        onlyOnline: true,
        respectShifts: true,
        excludeAgentIds: [],
        path: ['start', 'assign'],
      }),
    ]);
  });

  it('an agent found leaves through "assigned"; nobody found leaves through "unassigned"', () => {
    const found = newConversation({ teamId: 'team_support' }).driver;
    found.answer(assignedTo('agent_ana'));
    expect(found.trail.at(-1)).toBe('assign→assigned');
    expect(found.state.execution?.assigneeId).toBe('agent_ana');

    const nobody = newConversation({ teamId: 'team_support' }).driver;
    nobody.answer(assignedTo(null));
    expect(nobody.trail.at(-1)).toBe('assign→unassigned');
  });

  it('a specific agent needs no team', () => {
    const { asked } = newConversation({ strategy: 'specific_agent', agentId: 'agent_ana' });
    expect(asked).toEqual([
      expect.objectContaining({ strategy: 'specific_agent', agentId: 'agent_ana', teamId: null }),
    ]);
  });

  it('sticky without a fallback falls back to round-robin, as people expect', () => {
    const { asked } = newConversation({ strategy: 'sticky', teamId: 'team_support' });
    expect(asked).toEqual([expect.objectContaining({ strategy: 'sticky', fallback: 'round_robin' })]);
  });

  it('a team strategy without a team fails the execution and says what is missing', () => {
    const { driver, asked } = newConversation({ strategy: 'least_loaded' });
    expect(asked).toEqual([]);
    expect(driver.state.execution?.status).toBe('failed');
    expect(driver.outputs[0]?.records.at(-1)?.error).toBe('teamId: choose a team');
  });
});

describe('assign node with overflow: nobody in Support → wait 10 minutes in the queue → try Sales', () => {
  const overflowing = {
    strategy: 'least_loaded',
    teamId: 'team_support',
    overflow: { teamId: 'team_sales', afterMinutes: 10 },
  };

  function nobodyInSupport() {
    const { driver } = newConversation(overflowing);
    const queued = driver.answer(assignedTo(null));
    return { driver, queued };
  }

  it('nobody in Support: the conversation waits in the queue for 10 minutes instead of leaving', () => {
    const { driver, queued } = nobodyInSupport();
    expect(queued.effects).toEqual([]);
    expect(queued.timers).toEqual([
      { conversationId: 'conv-1', key: expect.any(String), dueAt: driver.now + 10 * MINUTE },
    ]);
    expect(driver.trail.at(-1)).toBe('assign:waiting');
  });

  it('after 10 minutes it asks Sales with the same strategy, and an agent there means "assigned"', () => {
    const { driver } = nobodyInSupport();
    const retried = driver.fireTimer();
    expect(retried.effects).toEqual([
      expect.objectContaining({ type: 'assign', strategy: 'least_loaded', teamId: 'team_sales' }),
    ]);
    driver.answer(assignedTo('agent_emma'));
    expect(driver.trail.at(-1)).toBe('assign→assigned');
    expect(driver.state.execution?.status).toBe('completed');
  });

  it('nobody in Sales either: "unassigned", without queueing a second time', () => {
    const { driver } = nobodyInSupport();
    driver.fireTimer();
    const last = driver.answer(assignedTo(null));
    expect(last.timers).toEqual([]);
    expect(driver.trail.at(-1)).toBe('assign→unassigned');
  });

  it('an agent in Support at the first attempt never touches the overflow', () => {
    const { driver } = newConversation(overflowing);
    const out = driver.answer(assignedTo('agent_ben'));
    expect(out.timers).toEqual([]);
    expect(driver.trail.at(-1)).toBe('assign→assigned');
  });
});

describe('assign node on the canvas', () => {
  const summary = (config: Record<string, unknown>) => assignAction.summary(assignConfigSchema.parse(config));

  it('says what it does in one line', () => {
    expect(summary({ strategy: 'least_loaded', teamId: 'team_support' })).toBe('least loaded · team_support');
    expect(
      summary({
        strategy: 'skill_match',
        teamId: 'team_support',
        skills: [{ skill: 'billing', minLevel: 3 }],
        fallback: 'round_robin',
      }),
    ).toBe('skill match billing≥3 → round robin · team_support');
    expect(summary({ strategy: 'specific_agent', agentId: 'agent_ana' })).toBe('specific agent agent_ana');
    expect(summary({ teamId: 'team_support', overflow: { teamId: 'team_sales', afterMinutes: 10 } })).toBe(
      'round robin · team_support · then team_sales after 10 min',
    );
  });

  it('refuses configurations the engine could not carry out', () => {
    const problems = (config: Record<string, unknown>) =>
      assignConfigSchema
        .safeParse(config)
        .error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(problems({ strategy: 'specific_agent' })).toEqual([['agentId', 'choose an agent']]);
    expect(problems({ strategy: 'skill_match', teamId: 'team_support' })).toEqual([
      ['skills', 'add a skill'],
    ]);
    expect(
      problems({
        strategy: 'specific_agent',
        agentId: 'agent_ana',
        overflow: { teamId: 't', afterMinutes: 5 },
      }),
    ).toEqual([['overflow', 'overflow needs a strategy that picks within a team']]);
  });
});
