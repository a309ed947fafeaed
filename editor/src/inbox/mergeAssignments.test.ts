import type { Assignment } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { mergeAssignments } from './mergeAssignments';

function assignment(id: string, createdAt: number, preview: string | null = null): Assignment {
  return {
    id,
    conversationId: `conv_${id}`,
    agentId: 'agent_ana',
    teamId: 'team_support',
    workflowVersionId: 'wv_1',
    createdAt,
    customer: { waId: '351900000000', name: null },
    preview,
    explanation: {
      strategy: 'round_robin',
      teamId: 'team_support',
      workflowVersionId: 'wv_1',
      nodeId: 'assign',
      path: ['start', 'assign'],
      candidates: [],
      chosenAgentId: 'agent_ana',
      summary: '',
    },
  };
}

describe('mergeAssignments', () => {
  it('puts a pushed assignment on top', () => {
    const merged = mergeAssignments([assignment('a', 1), assignment('b', 0)], [assignment('c', 2)]);
    expect(merged.map((a) => a.id)).toEqual(['c', 'a', 'b']);
  });

  it('de-duplicates by id, preferring the incoming copy', () => {
    const merged = mergeAssignments(
      [assignment('a', 1, 'old')],
      [assignment('a', 1, 'new'), assignment('b', 0)],
    );
    expect(merged.map((a) => [a.id, a.preview])).toEqual([
      ['a', 'new'],
      ['b', null],
    ]);
  });

  it('keeps pushed items a stale re-fetch does not know about', () => {
    const merged = mergeAssignments([assignment('live', 5), assignment('a', 1)], [assignment('a', 1)]);
    expect(merged.map((a) => a.id)).toEqual(['live', 'a']);
  });

  it('returns the same array when nothing changed', () => {
    const current = [assignment('a', 1)];
    expect(mergeAssignments(current, current)).toBe(current);
    expect(mergeAssignments(current, [])).toBe(current);
  });
});
