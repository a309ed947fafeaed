import type { SocketMessage } from '@switchboard/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { frameText, LiveHub } from '../../src/live/liveHub';
import { eventually } from '../support/runtimeHarness';
import { fileDatabaseWithWorker } from '../support/testDatabase';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const status = (status: 'online' | 'away' | 'offline'): SocketMessage => ({
  type: 'agent.status',
  agentId: 'agent_ana',
  status,
});

/** A hub journaling into a file database (closed after the test), with Ana's messages collected. */
function journaledHubWithAna(name: string) {
  const { db, worker, close } = fileDatabaseWithWorker(name);
  cleanups.push(close);
  const live = new LiveHub(db);
  const received: SocketMessage[] = [];
  live.subscribe('agent_ana', (message) => received.push(message));
  return { db, worker, live, received };
}

describe('the live journal while the router worker holds the write lock', () => {
  it('pushes wait for the lock without stopping the process, then go out journaled and in order', async () => {
    const { worker, live, received } = journaledHubWithAna('live-busy');

    // What the worker process does while it commits a batch of assignments.
    worker.exec('BEGIN IMMEDIATE');
    live.publish('agent_ana', status('away'));
    live.publishAll([{ agentId: 'agent_ana', message: status('online') }]);
    // Timers still run: nobody sleeps inside SQLite waiting for the lock.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual([]);
    worker.exec('COMMIT');

    await eventually(() => (received.length === 2 ? true : undefined));
    expect(received.map((m) => (m.type === 'agent.status' ? m.status : m.type))).toEqual(['away', 'online']);
    expect(live.since('agent_ana', 0)).toEqual(received);
    const seqs = received.map((m) => (m as { seq: number }).seq);
    expect(seqs[1]).toBeGreaterThan(seqs[0] as number);
  });
});

describe('socket frames of journaled messages', () => {
  it('read back as the message with its number, as the journal replays it', () => {
    const { live, received } = journaledHubWithAna('live-frames');
    const note = 'He said "urgent" \u2014 ünïcödé 🚀';
    live.publishAll([
      { agentId: 'agent_ana', message: status('away') },
      { agentId: 'agent_ana', message: { type: 'notification', notification: { title: note } } as never },
    ]);

    expect(received).toHaveLength(2);
    const frames = received.map((message) => JSON.parse(frameText(message)));
    expect(frames).toEqual(received);
    expect(frames).toEqual(live.since('agent_ana', 0));
    expect(frames[1].notification.title).toBe(note);
    // Not journaled (a hub without a database): serialized as it is.
    const unjournaled = status('online');
    expect(JSON.parse(frameText(unjournaled))).toEqual(unjournaled);
  });
});

describe('deliveries given as JSON (the router worker’s assignments)', () => {
  const json = JSON.stringify({ type: 'notification', notification: { title: 'He said "now" 🚀' } });

  it('are journaled as they are, numbered, sent once per key, and reach listeners as their message', () => {
    const { db, live, received } = journaledHubWithAna('live-json');
    live.publishAll([{ agentId: 'agent_ana', json, onceKey: 'once:1' }]);
    live.publishAll([{ agentId: 'agent_ana', json, onceKey: 'once:1' }]);

    expect(received).toEqual([{ ...JSON.parse(json), seq: expect.any(Number) }]);
    const [message] = received as [SocketMessage & { seq: number }];
    expect(frameText(message)).toBe(`{"seq":${message.seq},${json.slice(1)}`);
    expect(live.since('agent_ana', 0)).toEqual(received);
    const stored = db.$client.prepare('SELECT message FROM live_events').pluck().all();
    expect(stored).toEqual([json]);
  });

  it('without a journal, go straight to the listeners', () => {
    const live = new LiveHub();
    const received: SocketMessage[] = [];
    live.subscribe('agent_ana', (message) => received.push(message));
    live.publishAll([{ agentId: 'agent_ana', json }]);
    expect(received).toEqual([JSON.parse(json)]);
    expect(frameText(received[0] as SocketMessage)).toBe(json);
  });
});
