import type { SocketMessage } from '@switchboard/shared';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../src/db/database';
import { createLiveJournal, frameText, LiveHub } from '../../src/live/liveHub';
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

describe('messages the router worker journals in its own transactions', () => {
  const notification = (title: string) => JSON.stringify({ type: 'notification', notification: { title } });
  const titles = (messages: SocketMessage[]) =>
    messages.map((m) => (m.type === 'notification' ? m.notification.title : m.type));

  /** The worker's connection journaling notifications for Ana, one per name, in one transaction; returns the last number. */
  function workerJournals(worker: Database.Database, ...names: string[]): number {
    // The journal uses nothing of the app's database but its SQLite connection.
    const journal = createLiveJournal({ $client: worker } as AppDatabase);
    return worker.transaction(() =>
      journal.appendWithin(
        names.map((name) => ({ agentId: 'agent_ana', json: notification(name) })),
        Date.now(),
      ),
    )();
  }

  it('reach pages in the order of their numbers with the hub’s own, each once', () => {
    const { worker, live, received } = journaledHubWithAna('live-foreign-order');
    const through = workerJournals(worker, 'first', 'second');
    // The hub's own message is numbered after the worker's commit, and its announcement is late.
    live.publish('agent_ana', status('away'));
    live.journaledThrough(through);

    expect(titles(received)).toEqual(['first', 'second', 'agent.status']);
    expect(live.since('agent_ana', 0)).toEqual(received);
  });

  it('a listener that publishes as it receives one of them leaves the order by number, each message once', () => {
    const { worker, live, received } = journaledHubWithAna('live-foreign-nested');
    const through = workerJournals(worker, 'first');
    // Ana's page answers the worker's message at once (as a socket handler might), with the hub's
    // own message still on its way.
    live.subscribe('agent_ana', (message) => {
      if (message.type === 'notification') live.publish('agent_ana', status('away'));
    });
    live.publish('agent_ana', status('online'));
    live.journaledThrough(through);

    expect(titles(received)).toEqual(['first', 'agent.status', 'agent.status']);
    expect(received).toEqual(live.since('agent_ana', 0));
    expect(received.map((m) => (m.type === 'agent.status' ? m.status : null))).toEqual([
      null,
      'online',
      'away',
    ]);
  });

  it('what a listener publishes as it receives the first of several goes after the rest of them', () => {
    const { worker, live, received } = journaledHubWithAna('live-foreign-nested-batch');
    const through = workerJournals(worker, 'first', 'second');
    live.subscribe('agent_ana', (message) => {
      if (message.type === 'notification' && message.notification.title === 'first')
        live.publish('agent_ana', status('away'));
    });
    live.journaledThrough(through);

    expect(titles(received)).toEqual(['first', 'second', 'agent.status']);
    expect(received).toEqual(live.since('agent_ana', 0));
  });

  it('a page that opens between the worker’s commit and its announcement gets them live, not twice', () => {
    const { worker, live } = journaledHubWithAna('live-foreign-open');
    const through = workerJournals(worker, 'assigned');

    // What the socket route does for a page that opens now: its number, what it missed, then live.
    expect(live.lastSeq('agent_ana')).toBe(0);
    const opened: SocketMessage[] = [...live.since('agent_ana', 0)];
    live.subscribe('agent_ana', (message) => opened.push(message));
    live.journaledThrough(through);
    live.journaledThrough(through);

    expect(titles(opened)).toEqual(['assigned']);
    expect(live.lastSeq('agent_ana')).toBe(through);
  });

  it('a retried push keeps its one row, and its number is given again to announce', () => {
    const { worker } = journaledHubWithAna('live-foreign-retry');
    const journal = createLiveJournal({ $client: worker } as AppDatabase);
    const push = { agentId: 'agent_ana', json: notification('assigned'), onceKey: 'assignment.created:a1' };
    const first = worker.transaction(() => journal.appendWithin([push], Date.now()))();
    const retried = worker.transaction(() => journal.appendWithin([push], Date.now()))();

    expect(first).toBeGreaterThan(0);
    expect(retried).toBe(first);
    expect(worker.prepare('SELECT count(*) FROM live_events').pluck().get()).toBe(1);
  });
});
