import { describe, expect, it } from 'vitest';
import { chain, inboundMessage, manualRun } from '../testing/builders';
import { emptyConversationState } from './state';
import { step } from './step';

// greet → tag → assign: a retry from "tag" must not greet again.
const graph = chain(
  { id: 'start', type: 'trigger.newConversation' },
  { id: 'note', type: 'action.note', config: { text: 'Customer greeted' } },
  { id: 'tag', type: 'action.tag', config: { tag: 'retried' } },
  { id: 'assign', type: 'assign', config: { teamId: 'team_support' } },
);
const NOW = 1_700_000_000_000;

describe('retry from a node: a manual run that starts at a node', () => {
  it('enters the node directly, skipping the trigger and the nodes before it, as a new execution', () => {
    const original = step(graph, emptyConversationState('conv-1'), inboundMessage({ seq: 10 }), NOW);
    const retry = manualRun({ seq: 20, startAtNodeId: 'tag', workflowVersionId: 'v1' });
    const out = step(graph, { conversationId: 'conv-1', execution: null }, retry, NOW + 1000);
    expect(out.state.execution?.executionId).toBe('conv-1:20');
    expect(out.state.execution?.executionId).not.toBe(original.state.execution?.executionId);
    expect(out.state.execution?.path).toEqual(['tag', 'assign']);
    expect(out.effects.map((effect) => effect.type)).toEqual(['tag', 'assign']);
    expect(out.records.map((record) => record.nodeId)).toEqual(['tag', 'assign']);
  });

  it('a node that does not exist, or a trigger, fails the new execution with the reason', () => {
    const missing = step(graph, emptyConversationState('c'), manualRun({ startAtNodeId: 'nope' }), NOW);
    expect(missing.state.execution?.status).toBe('failed');
    expect(missing.records[0]?.error).toBe('edge leads to a missing node');
    const trigger = step(graph, emptyConversationState('c'), manualRun({ startAtNodeId: 'start' }), NOW);
    expect(trigger.records[0]?.error).toContain('trigger');
  });
});
