import { describe, expect, it } from 'vitest';
import { chain, inboundMessage } from '../testing/builders';
import { moveAtSafePoint, safePointBetween } from './safePoint';
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

describe('moving an execution at its safe point', () => {
  const NOW = 1_700_000_000_000;
  const v1 = { versionId: 'v1', number: 1, graph: waitingGraph };
  const longerWait = chain(
    { id: 'start', type: 'trigger.newConversation' },
    { id: 'pause', type: 'flow.wait', config: { mode: 'duration', minutes: 30 } },
    { id: 'close', type: 'action.close' },
  );
  const v2 = { versionId: 'v2', number: 2, graph: longerWait };

  it('keeps the wait, its deadline and the visit counts, and says in the trace where it moved', () => {
    const waiting = waitingAtPause();
    const move = moveAtSafePoint(waiting, v1, v2, NOW + 1000);
    if (!move.moved) throw new Error(move.reason);
    expect(move.state.execution).toEqual({ ...waiting.execution, workflowVersionId: 'v2' });
    expect(move.record).toMatchObject({
      executionId: waiting.execution?.executionId,
      workflowVersionId: 'v2',
      nodeId: 'pause',
      nodeType: 'flow.wait',
      status: 'moved',
      output: 'moved from v1 to v2 at node pause',
      at: NOW + 1000,
    });
  });

  it('when its deadline fires after the move, the new version decides where it goes', () => {
    const waiting = waitingAtPause();
    const due = waiting.execution?.wait?.until as number;
    const move = moveAtSafePoint(waiting, v1, v2, NOW);
    if (!move.moved) throw new Error(move.reason);
    const fired = {
      type: 'timer.fired' as const,
      conversationId: 'conv-1',
      key: waiting.execution?.wait?.timerKey as string,
    };
    // v1's wait was 10 minutes; the deadline set then still holds in v2.
    expect(due).toBe(NOW + 10 * 60_000);
    const onV2 = step(longerWait, move.state, fired, due);
    expect(onV2.records.map((record) => record.nodeId)).toEqual(['pause', 'close']);
    const onV1 = step(waitingGraph, waiting, fired, due);
    expect(onV1.records.map((record) => record.nodeId)).toEqual(['pause', 'tag']);
  });

  it('an execution of another version, or one not at a safe point, does not move', () => {
    expect(moveAtSafePoint(waitingAtPause(), { ...v1, versionId: 'v0' }, v2, NOW)).toEqual({
      moved: false,
      reason: 'not an execution of v1',
    });
    const without = { ...v2, graph: chain({ id: 'start', type: 'trigger.newConversation' }) };
    expect(moveAtSafePoint(waitingAtPause(), v1, without, NOW)).toEqual({
      moved: false,
      reason: 'node "pause" is not in the new version',
    });
  });
});
