import { type SocketMessage, socketMessageSchema } from '@switchboard/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { AssignmentWatcher, customerOf } from '../../bench/assignmentWatcher';
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

  it('counts the awaited customers whose assignment has not been pushed, each first push once', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => server.close());
    await new Promise((resolve) => server.once('listening', resolve));
    const sockets: WebSocket[] = [];
    server.on('connection', (socket) => {
      sockets.push(socket);
      socket.send(JSON.stringify({ type: 'hello', agentId: 'agent_ana', lastSeq: 0 }));
    });
    const { port } = server.address() as { port: number };
    const watcher = await AssignmentWatcher.open(`http://127.0.0.1:${port}`, ['agent_ana']);
    cleanups.push(() => watcher.close());
    const send = (waId: string) => sockets[0]?.send(JSON.stringify({ seq: 1, ...assignmentFor(waId) }));
    const pushed = (count: number) =>
      expect.poll(() => watcher.arrivals.size + watcher.duplicates, { timeout: 5000 }).toBe(count);

    send('5511900000010'); // before it was awaited
    await pushed(1);
    watcher.await(['5511900000010', '5511900000011', '5511900000012']);
    expect(watcher.outstanding).toBe(2);
    send('5511900000011');
    send('5511900000011'); // a retried push
    send('5511900000099'); // not awaited
    await pushed(4);
    expect(watcher.outstanding).toBe(1);
    expect(watcher.duplicates).toBe(1);
    send('5511900000012');
    await pushed(5);
    expect(watcher.outstanding).toBe(0);
    // The next scenario's wait starts from its own customers only.
    watcher.await(['5511900000013']);
    expect(watcher.outstanding).toBe(1);
  });
});
