import { describe, expect, it } from 'vitest';
import {
  changedConversationIds,
  MAX_CHANGES_PER_MESSAGE,
  type SocketMessage,
  socketMessageSchema,
} from './assignment';

const assignment = {
  id: 'asg-1',
  conversationId: 'conv-3',
  agentId: 'agent_ana',
  teamId: 'team_support',
  workflowVersionId: 'v-1',
  explanation: {
    strategy: 'round_robin',
    teamId: 'team_support',
    workflowVersionId: 'v-1',
    nodeId: 'assign',
    path: [],
    candidates: [],
    chosenAgentId: 'agent_ana',
    summary: 'Ana was next',
  },
  createdAt: 1,
  customer: { waId: '5511900000001', name: null },
  preview: null,
};

describe('which conversations a live message says changed', () => {
  it('a batch names each of its conversations once, however many changes each had', () => {
    const batch: SocketMessage = {
      type: 'conversations.updated',
      changes: [
        { conversationId: 'conv-1', change: 'message' },
        { conversationId: 'conv-2', change: 'assigned' },
        { conversationId: 'conv-1', change: 'assigned' },
      ],
      seq: 7,
    };
    expect(changedConversationIds(batch)).toEqual(['conv-1', 'conv-2']);
  });

  it('one change from a journal written before batching still names its conversation', () => {
    const replayed = socketMessageSchema.parse({
      type: 'conversation.updated',
      conversationId: 'conv-9',
      change: 'note',
      seq: 3,
    });
    expect(changedConversationIds(replayed)).toEqual(['conv-9']);
  });

  it('a new assignment names its conversation; presence and notifications name none', () => {
    expect(changedConversationIds({ type: 'assignment.created', assignment })).toEqual(['conv-3']);
    expect(changedConversationIds({ type: 'agent.status', agentId: 'agent_ana', status: 'away' })).toEqual(
      [],
    );
    expect(changedConversationIds({ type: 'hello', agentId: 'agent_ana', lastSeq: 0 })).toEqual([]);
  });

  it('a batch carries at least one change and at most MAX_CHANGES_PER_MESSAGE', () => {
    const changes = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ conversationId: `conv-${i}`, change: 'message' }));
    const batchOf = (count: number) =>
      socketMessageSchema.safeParse({ type: 'conversations.updated', changes: changes(count) }).success;
    expect([
      batchOf(0),
      batchOf(1),
      batchOf(MAX_CHANGES_PER_MESSAGE),
      batchOf(MAX_CHANGES_PER_MESSAGE + 1),
    ]).toEqual([false, true, true, false]);
  });
});
