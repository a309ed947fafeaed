import { describe, expect, it } from 'vitest';
import { assignThenEscalate, inboundMessage, newConversationToAssign } from '../testing/builders';
import { assignedTo, ConversationDriver } from '../testing/drive';
import { deepFreeze } from './graphIndex';
import type { StepOutput } from './interpreterEvents';
import { emptyConversationState, isLive } from './state';
import { MAX_NODES_PER_STEP, step } from './step';
import { stepSafely } from './stepSafely';

const NOW = 1_700_000_000_000;
const graph = newConversationToAssign('team_support');

describe('step on "new conversation → assign round-robin"', () => {
  it('a new conversation starts an execution that asks for an assignment and waits for it', () => {
    const event = inboundMessage({ conversationId: 'c1', seq: 41 });
    const out = step(graph, emptyConversationState('c1'), event, NOW);

    expect(out.effects).toEqual([
      expect.objectContaining({
        type: 'assign',
        strategy: 'round_robin',
        teamId: 'team_support',
        path: ['start', 'assign'],
        key: 'c1:41:assign:1:1',
        conversationId: 'c1',
        executionId: 'c1:41',
        workflowVersionId: 'v1',
        nodeId: 'assign',
      }),
    ]);
    expect(out.state.execution).toMatchObject({
      status: 'waiting',
      cursor: 'assign',
      awaitingEffectKey: 'c1:41:assign:1:1',
    });
    expect(out.records.map((r) => [r.nodeId, r.status, r.output])).toEqual([
      ['start', 'passed', 'out'],
      ['assign', 'waiting', null],
    ]);
  });

  it('the assignment result completes the execution through the "assigned" output', () => {
    const started = step(graph, emptyConversationState('c1'), inboundMessage({ conversationId: 'c1' }), NOW);
    const key = started.effects[0]?.key ?? '';
    const done = step(
      graph,
      started.state,
      { type: 'effect.completed', conversationId: 'c1', key, result: assignedTo('agent_ana') },
      NOW + 5,
    );

    expect(done.state.execution?.status).toBe('completed');
    expect(isLive(done.state)).toBe(false);
    expect(done.effects).toEqual([]);
    expect(done.records.map((r) => [r.nodeId, r.status, r.output, r.at])).toEqual([
      ['assign', 'passed', 'assigned', NOW + 5],
    ]);
  });

  it('no available agent leaves through "unassigned"', () => {
    const started = step(graph, emptyConversationState('c1'), inboundMessage({ conversationId: 'c1' }), NOW);
    const key = started.effects[0]?.key ?? '';
    const done = step(
      graph,
      started.state,
      { type: 'effect.completed', conversationId: 'c1', key, result: assignedTo(null) },
      NOW,
    );
    expect(done.records[0]?.output).toBe('unassigned');
  });

  it('a duplicate result (a retried activity) changes nothing', () => {
    const started = step(graph, emptyConversationState('c1'), inboundMessage({ conversationId: 'c1' }), NOW);
    const key = started.effects[0]?.key ?? '';
    const result = {
      type: 'effect.completed' as const,
      conversationId: 'c1',
      key,
      result: assignedTo('agent_ana'),
    };
    const done = step(graph, started.state, result, NOW);
    const again = step(graph, done.state, result, NOW);
    expect(again).toEqual({ state: done.state, effects: [], timers: [], records: [] });
  });

  it('a failed effect fails the execution and records why', () => {
    const started = step(graph, emptyConversationState('c1'), inboundMessage({ conversationId: 'c1' }), NOW);
    const key = started.effects[0]?.key ?? '';
    const failed = step(
      graph,
      started.state,
      { type: 'effect.failed', conversationId: 'c1', key, error: 'team "x" does not exist' },
      NOW,
    );
    expect(failed.state.execution?.status).toBe('failed');
    expect(failed.records).toMatchObject([
      { nodeId: 'assign', status: 'failed', error: 'team "x" does not exist' },
    ]);
  });

  it('a follow-up message in an existing conversation does not start the new-conversation trigger', () => {
    const out = step(graph, emptyConversationState('c1'), inboundMessage({ isNewConversation: false }), NOW);
    expect(out).toEqual({ state: emptyConversationState('c1'), effects: [], timers: [], records: [] });
  });

  it('"message received" starts on follow-ups too, but not while an execution is still waiting', () => {
    const everyMessage = newConversationToAssign('team_support', 'trigger.messageReceived');
    const first = step(
      everyMessage,
      emptyConversationState('c1'),
      inboundMessage({ isNewConversation: false }),
      NOW,
    );
    expect(first.effects).toHaveLength(1);
    const second = step(everyMessage, first.state, inboundMessage({ isNewConversation: false }), NOW);
    expect(second.effects).toEqual([]);
    expect(second.state).toEqual(first.state);
  });

  it('does nothing when no version is published', () => {
    const out = step(graph, emptyConversationState('c1'), inboundMessage({ workflowVersionId: null }), NOW);
    expect(out.effects).toEqual([]);
    expect(out.state.execution).toBeNull();
  });

  it('is pure: the input state is not modified and equal inputs give equal outputs', () => {
    const state = emptyConversationState('c1');
    const frozen = structuredClone(state);
    const event = inboundMessage({ conversationId: 'c1' });
    const a = step(graph, state, event, NOW);
    const b = step(graph, state, event, NOW);
    expect(state).toEqual(frozen);
    expect(a).toEqual(b);
    const waiting = structuredClone(a.state);
    step(
      graph,
      a.state,
      {
        type: 'effect.completed',
        conversationId: 'c1',
        key: a.effects[0]?.key ?? '',
        result: assignedTo('x'),
      },
      NOW,
    );
    expect(a.state).toEqual(waiting);
  });

  it('a node config that breaks its schema fails the execution with the schema message', () => {
    const broken = newConversationToAssign('');
    const out = step(broken, emptyConversationState('c1'), inboundMessage(), NOW);
    expect(out.state.execution?.status).toBe('failed');
    expect(out.records.at(-1)).toMatchObject({
      nodeId: 'assign',
      status: 'failed',
      error: 'teamId: choose a team',
    });
  });

  it('an edge to a missing node fails the execution instead of throwing', () => {
    const dangling = {
      ...graph,
      edges: [{ id: 'e1', source: 'start', sourceHandle: 'out', target: 'nowhere' }],
    };
    const out = step(dangling, emptyConversationState('c1'), inboundMessage(), NOW);
    expect(out.records.at(-1)).toMatchObject({ nodeId: 'nowhere', status: 'failed' });
  });

  it('exports a loop guard large enough for real graphs', () => {
    expect(MAX_NODES_PER_STEP).toBeGreaterThanOrEqual(100);
  });
});

describe('stepSafely', () => {
  it('turns an exception inside the interpreter into a failed step for that conversation only', () => {
    const started = step(
      graph,
      emptyConversationState('c1'),
      inboundMessage({ conversationId: 'c1', seq: 7 }),
      NOW,
    );
    // A graph whose node list breaks when read: stands in for any bug inside a node's behaviour.
    const broken = {
      edges: graph.edges,
      get nodes(): never {
        throw new Error('boom');
      },
    } as unknown as typeof graph;
    const out = stepSafely(broken, started.state, inboundMessage({ conversationId: 'c1', seq: 8 }), NOW);
    expect(out.state.execution?.status).toBe('failed');
    expect(out.effects).toEqual([]);
    expect(out.records).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: 'interpreter error: boom',
        executionId: 'c1:7',
        nodeId: 'assign',
      }),
    ]);
  });

  it('is step itself when nothing throws', () => {
    const event = inboundMessage({ conversationId: 'c2' });
    expect(stepSafely(graph, emptyConversationState('c2'), event, NOW)).toEqual(
      step(graph, emptyConversationState('c2'), event, NOW),
    );
  });
});

describe('step leaves the state it is given as it was', () => {
  // Shared by the walk's copy where only ever replaced whole (wait, memory), copied on first change
  // where changed in place (path, visits): each state given to step is frozen, so a change throws.
  it('through a whole escalation ladder and a second execution of the same conversation', () => {
    const driver = new ConversationDriver(
      assignThenEscalate([
        { afterMinutes: 15, action: 'reassign' },
        { afterMinutes: 10, action: 'teamLead' },
      ]),
      'c1',
    );
    const leavesStateAsItWas = (act: () => StepOutput) => {
      const given = driver.state;
      deepFreeze(given);
      const before = JSON.stringify(given);
      const out = act();
      expect(JSON.stringify(given)).toBe(before);
      return out;
    };
    const effectTypes = (out: StepOutput) => out.effects.map((effect) => effect.type);

    for (const seq of [1, 2]) {
      leavesStateAsItWas(() => driver.send(inboundMessage({ conversationId: 'c1', seq })));
      leavesStateAsItWas(() => driver.answer(assignedTo('agent_ana')));
      expect(effectTypes(leavesStateAsItWas(() => driver.fireTimer()))).toEqual(['assign']);
      leavesStateAsItWas(() => driver.answer(assignedTo('agent_ben')));
      expect(effectTypes(leavesStateAsItWas(() => driver.fireTimer()))).toEqual(['assign']);
      leavesStateAsItWas(() => driver.answer(assignedTo('agent_ben')));
      expect(driver.state.execution).toMatchObject({
        status: 'completed',
        path: ['start', 'assign', 'escalate'],
        visits: { start: 1, assign: 1, escalate: 1 },
      });
    }
  });
});
