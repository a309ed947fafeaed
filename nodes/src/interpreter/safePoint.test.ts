import { describe, expect, it } from 'vitest';
import { chain, inboundMessage } from '../testing/builders';
import { safePointBetween } from './safePoint';
import { emptyConversationState } from './state';
import { step } from './step';

const waitingGraph = chain(
  { id: 'start', type: 'trigger.newConversation' },
  { id: 'pause', type: 'flow.wait', config: { mode: 'duration', minutes: 10 } },
  { id: 'tag', type: 'action.tag', config: { tag: 'late' } },
);

function waitingAtPause() {
  const out = step(waitingGraph, emptyConversationState('conv-1'), inboundMessage(), 1_700_000_000_000);
  expect(out.state.execution?.status).toBe('waiting');
  return out.state;
}

describe('safe point for moving an execution to a new version', () => {
  it('a conversation waiting on a node the new version keeps (same type) may move', () => {
    const next = chain(
      { id: 'start', type: 'trigger.newConversation' },
      { id: 'pause', type: 'flow.wait', config: { mode: 'duration', minutes: 30 } },
      { id: 'tag', type: 'action.tag', config: { tag: 'later' } },
    );
    expect(safePointBetween(waitingAtPause(), waitingGraph, next)).toEqual({ move: true, nodeId: 'pause' });
  });

  it('stays when the node it waits on is gone or became another type', () => {
    const without = chain(
      { id: 'start', type: 'trigger.newConversation' },
      { id: 'tag', type: 'action.tag' },
    );
    expect(safePointBetween(waitingAtPause(), waitingGraph, without)).toMatchObject({ move: false });
    const retyped = chain(
      { id: 'start', type: 'trigger.newConversation' },
      { id: 'pause', type: 'flow.waitForAcknowledgement', config: { timeoutMinutes: 5 } },
    );
    expect(safePointBetween(waitingAtPause(), waitingGraph, retyped)).toEqual({
      move: false,
      reason: 'node "pause" has another type in the new version',
    });
  });

  it('stays while waiting for an effect result (an assignment in flight)', () => {
    const assigning = chain(
      { id: 'start', type: 'trigger.newConversation' },
      { id: 'assign', type: 'assign', config: { teamId: 't' } },
    );
    const out = step(assigning, emptyConversationState('conv-1'), inboundMessage(), 1_700_000_000_000);
    expect(safePointBetween(out.state, assigning, assigning)).toEqual({
      move: false,
      reason: 'waiting for an effect result',
    });
    expect(safePointBetween(emptyConversationState('c'), assigning, assigning)).toMatchObject({
      move: false,
    });
  });
});
