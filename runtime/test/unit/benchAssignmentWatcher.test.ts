import { type SocketMessage, socketMessageSchema } from '@switchboard/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { customerOf } from '../../bench/assignmentWatcher';
import { frameText, LiveHub } from '../../src/live/liveHub';
import { fileDatabaseWithWorker } from '../support/testDatabase';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const assignmentFor = (waId: string): SocketMessage =>
  socketMessageSchema.parse({
    type: 'assignment.created',
    assignment: {
      id: `asg-${waId}`,
      conversationId: `conv-${waId}`,
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
        // Decoys: the customer is read from the assignment's own `customer`, not from text like this.
        summary: 'Ana was next for "customer":{"waId":"0000"}',
      },
      createdAt: 1,
      customer: { waId, name: 'Bench customer' },
      preview: null,
    },
  });

describe("the routing benchmark's reading of assignment frames", () => {
  it("finds each assignment's customer in the frame the runtime sends, escaped or not", () => {
    const { db, close } = fileDatabaseWithWorker('bench-frames');
    cleanups.push(close);
    const live = new LiveHub(db);
    const frames: string[] = [];
    live.subscribe('agent_ana', (message) => frames.push(frameText(message)));
    const waIds = ['5511900000001', '44 7700 "900" \\ 123'];
    live.publishAll(waIds.map((waId) => ({ agentId: 'agent_ana', message: assignmentFor(waId) })));

    expect(frames).toHaveLength(2);
    expect(frames.map(customerOf)).toEqual(waIds);
  });

  it('reads a frame whose customer is laid out otherwise the long way', () => {
    const message = assignmentFor('5511900000002') as { assignment: { customer: object } };
    message.assignment.customer = { name: 'First', waId: '5511900000002' };
    expect(customerOf(JSON.stringify({ seq: 3, ...message }))).toBe('5511900000002');
  });
});
