import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRoutedEventQueue } from '../../src/conversations/routedEventQueue';
import { type AppDatabase, openDatabase } from '../../src/db/database';
import { DEMO_BUSINESS_NUMBER_ID } from '../../src/demo/seedDemo';
import {
  type DispatcherOptions,
  lingerAfter,
  MAX_LINGER_MS,
  OutboxDispatcher,
} from '../../src/routing/dispatcher';
import { inboundTextWebhook } from '../../src/whatsapp/inboundPayloads';
import { createWebhookIngest, type QueuedRow } from '../../src/whatsapp/ingest';
import { IngestQueue } from '../../src/whatsapp/ingestQueue';
import { demoDatabase } from '../support/testDatabase';

/** The Temporal client as the dispatcher uses it: each signal's shard and sequences, in order. */
function recordingClient() {
  const signals: { workflowId: string; seqs: number[] }[] = [];
  /** Every event signalled, in the order signals were sent. */
  const events: SignalledEvent[] = [];
  const client = {
    workflow: {
      async signalWithStart(
        _workflow: unknown,
        options: { workflowId: string; signalArgs: [SignalledEvent[]] },
      ) {
        signals.push({
          workflowId: options.workflowId,
          seqs: options.signalArgs[0].map((event) => event.seq),
        });
        events.push(...options.signalArgs[0]);
      },
    },
  } as unknown as Client;
  return { client, signals, events };
}

type SignalledEvent = { seq: number; type: string; customerWaId?: string };

let db: AppDatabase;
afterEach(() => db?.$client.close());

/** A dispatcher on `db` sending through `client`, with the defaults unless told. */
function dispatcherFor(client: Client, options: Partial<DispatcherOptions> = {}): OutboxDispatcher {
  return new OutboxDispatcher({ db, client, taskQueue: 'q', log: pino({ level: 'silent' }), ...options });
}

/** A hold on `shard` for the next minute, as a run continuing as new writes it. */
function hold(shard: number, runId: string): void {
  db.$client
    .prepare(`INSERT INTO shard_holds (shard, run_id, until) VALUES (?, ?, ?)`)
    .run(shard, runId, Date.now() + 60_000);
}

function queueEvents(shards: number[]): void {
  const insert = db.$client.prepare(
    `INSERT INTO outbox (conversation_id, shard, payload, created_at) VALUES (?, ?, ?, 0)`,
  );
  for (const [i, shard] of shards.entries())
    insert.run(`conv-${i}`, shard, JSON.stringify({ type: 'message.received' }));
}

describe('outbox dispatcher and a shard continuing as new', () => {
  it('sends nothing from the held shard on, until the next run lifts the hold', async () => {
    db = openDatabase(':memory:');
    const { client, signals } = recordingClient();
    const dispatcher = dispatcherFor(client);
    queueEvents([0, 1, 2, 1, 0]);
    hold(2, 'run-a');

    expect(await dispatcher.drainOnce()).toBe(2);
    expect(signals.flatMap((signal) => signal.seqs).sort()).toEqual([1, 2]);
    expect(await dispatcher.drainOnce()).toBe(0);

    db.$client.prepare(`DELETE FROM shard_holds WHERE shard = 2 AND run_id = 'run-a'`).run();
    expect(await dispatcher.drainOnce()).toBe(3);
    expect(signals.slice(2)).toHaveLength(3);
    expect(signals.slice(2)).toEqual(
      expect.arrayContaining([
        { workflowId: 'q-shard-2', seqs: [3] },
        { workflowId: 'q-shard-1', seqs: [4] },
        { workflowId: 'q-shard-0', seqs: [5] },
      ]),
    );
  });

  it('a hold left by a run that never finished expires on its own', async () => {
    db = openDatabase(':memory:');
    const { client, signals } = recordingClient();
    const dispatcher = dispatcherFor(client);
    queueEvents([3]);
    db.$client
      .prepare(`INSERT INTO shard_holds (shard, run_id, until) VALUES (3, 'run-b', ?)`)
      .run(Date.now() - 1);
    expect(await dispatcher.drainOnce()).toBe(1);
    expect(signals).toEqual([{ workflowId: 'q-shard-3', seqs: [1] }]);
  });
});

describe('outbox dispatcher acknowledging a hold', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hold-ack-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const acknowledgedAt = (runId: string) =>
    db.$client
      .prepare<[string], number | null>(`SELECT acknowledged_at FROM shard_holds WHERE run_id = ?`)
      .pluck()
      .get(runId);
  it('not while a signal sent before it was written is still on its way; once that signal is through', async () => {
    db = openDatabase(':memory:');
    let release = () => {};
    const inFlight = new Promise<void>((resolve) => {
      release = resolve;
    });
    const client = {
      workflow: {
        signalWithStart: () => inFlight,
      },
    } as unknown as Client;
    const dispatcher = dispatcherFor(client);
    queueEvents([0]);
    const draining = dispatcher.drainOnce();
    // The shard asks for a hold while the drain that read the holds before it is sending to it.
    hold(0, 'run-c');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acknowledgedAt('run-c')).toBeNull();
    release();
    expect(await draining).toBe(1);
    expect(acknowledgedAt('run-c')).toEqual(expect.any(Number));
  });

  it('a hold written between drains is acknowledged by the next one, even with nothing to send', async () => {
    db = openDatabase(':memory:');
    const { client, signals } = recordingClient();
    const dispatcher = dispatcherFor(client);
    hold(2, 'run-d');
    expect(acknowledgedAt('run-d')).toBeNull();
    expect(await dispatcher.drainOnce()).toBe(0);
    expect(acknowledgedAt('run-d')).toEqual(expect.any(Number));
    expect(signals).toEqual([]);
  });

  it('a refused signal leaves the hold unacknowledged until a drain goes through', async () => {
    db = openDatabase(':memory:');
    let refuse = true;
    const client = {
      workflow: {
        signalWithStart: async () => {
          if (refuse) throw new Error('Temporal unreachable');
        },
      },
    } as unknown as Client;
    const dispatcher = dispatcherFor(client);
    queueEvents([1]);
    hold(3, 'run-e');
    await expect(dispatcher.drainOnce()).rejects.toThrow('Temporal unreachable');
    expect(acknowledgedAt('run-e')).toBeNull();
    refuse = false;
    expect(await dispatcher.drainOnce()).toBe(1);
    expect(acknowledgedAt('run-e')).toEqual(expect.any(Number));
  });

  it('when another connection holds the write lock, acknowledges as soon as it is free, not a poll later', async () => {
    const file = join(dir, 'busy.sqlite');
    db = openDatabase(file);
    const worker = openDatabase(file);
    const { client } = recordingClient();
    // Polls ten seconds apart: only the dispatcher's retry can write the acknowledgement in time.
    const dispatcher = dispatcherFor(client, { idleMs: 10_000 });
    worker.$client
      .prepare(`INSERT INTO shard_holds (shard, run_id, until) VALUES (1, 'run-f', ?)`)
      .run(Date.now() + 60_000);
    worker.$client.exec('BEGIN IMMEDIATE');
    try {
      dispatcher.start();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(acknowledgedAt('run-f')).toBeNull();
      worker.$client.exec('COMMIT');
      await expect
        .poll(() => acknowledgedAt('run-f'), { timeout: 1000, interval: 5 })
        .toEqual(expect.any(Number));
    } finally {
      await dispatcher.stop();
      worker.$client.close();
    }
  });
});

describe('outbox dispatcher lingering after a send', () => {
  it('waits 1 ms per event it sent, up to the longest linger', () => {
    expect([0, 1, 2, 40, 100, 249, 5000].map((sent) => lingerAfter(sent))).toEqual([
      0,
      1,
      2,
      40,
      100,
      249,
      MAX_LINGER_MS,
    ]);
    expect(lingerAfter(500, 0)).toBe(0);
  });

  /** A running dispatcher that has just sent `count` events of `shard` in its first signal. */
  async function lingeringAfterFirstSignal(maxLingerMs: number, count: number, shard: number) {
    db = openDatabase(':memory:');
    const { client, signals } = recordingClient();
    const dispatcher = dispatcherFor(client, { maxLingerMs });
    queueEvents(Array.from({ length: count }, () => shard));
    dispatcher.start();
    await expect.poll(() => signals.length, { timeout: 5000, interval: 1 }).toBe(1);
    return { dispatcher, signals };
  }

  it('events stored during a linger go out together after it, not one signal each', async () => {
    const { dispatcher, signals } = await lingeringAfterFirstSignal(300, 300, 0);
    try {
      // Three more, each announced as the webhook handler does: none may cut the 300 ms linger short.
      for (let i = 0; i < 3; i++) {
        queueEvents([0]);
        dispatcher.wake();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(signals).toHaveLength(1);
      await expect.poll(() => signals.length, { timeout: 5000 }).toBe(2);
      expect(signals[1]?.seqs).toEqual([301, 302, 303]);
    } finally {
      await dispatcher.stop();
    }
  });

  it('a hold written during a linger is acknowledged at once, not after the linger', async () => {
    const { dispatcher } = await lingeringAfterFirstSignal(5000, 5000, 2);
    try {
      hold(2, 'run-g');
      await expect
        .poll(
          () =>
            db.$client
              .prepare(`SELECT acknowledged_at FROM shard_holds WHERE run_id = 'run-g'`)
              .pluck()
              .get(),
          { timeout: 1000, interval: 5 },
        )
        .toEqual(expect.any(Number));
    } finally {
      await dispatcher.stop();
    }
  });

  it('a drain a hold stopped short sends the rest as soon as the hold is lifted, not after the linger', async () => {
    db = openDatabase(':memory:');
    const { client, signals } = recordingClient();
    const dispatcher = dispatcherFor(client, { maxLingerMs: 5000 });
    hold(2, 'run-l');
    // 3,000 rows of shard 0 go out and start a 3 s linger; shard 2's row and the one after it wait.
    queueEvents([...Array.from({ length: 3000 }, () => 0), 2, 1]);
    dispatcher.start();
    try {
      await expect.poll(() => signals.length, { timeout: 5000, interval: 1 }).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(signals).toHaveLength(1);

      const lifted = performance.now();
      db.$client.prepare(`DELETE FROM shard_holds WHERE run_id = 'run-l'`).run();
      await expect.poll(() => signals.length, { timeout: 1500, interval: 5 }).toBe(3);
      expect(performance.now() - lifted).toBeLessThan(1500);
      expect(signals.slice(1).map((signal) => signal.seqs)).toEqual(expect.arrayContaining([[3001], [3002]]));
    } finally {
      await dispatcher.stop();
    }
  });

  it('stopping ends a linger at once', async () => {
    const { dispatcher } = await lingeringAfterFirstSignal(5000, 5000, 1);
    const stopping = performance.now();
    await dispatcher.stop();
    expect(performance.now() - stopping).toBeLessThan(2500);
  });
});

describe('outbox dispatcher and the rows webhook intake hands over', () => {
  /** Webhook intake wired to the dispatcher as the runtime wires it; every signal's events recorded. */
  function intakeAndDispatcher() {
    db = demoDatabase().db;
    const { client, events: sent } = recordingClient();
    const dispatcher = dispatcherFor(client);
    const handedOver: QueuedRow[][] = [];
    const intake = new IngestQueue(db, createWebhookIngest(db, 4), (rows) => {
      handedOver.push(rows);
      dispatcher.handOver(rows);
    });
    const post = (from: string) => {
      const raw = JSON.stringify(
        inboundTextWebhook({
          phoneNumberId: DEMO_BUSINESS_NUMBER_ID,
          from,
          text: `hello from ${from}`,
          messageId: `wamid.H${from}`,
          timestamp: 1_764_000_000,
        }),
      );
      return intake.submit(raw, 'sig', JSON.parse(raw), 1);
    };
    return { dispatcher, sent, handedOver, post };
  }

  it('a group committed after the last row sent goes out as handed over, without reading the outbox', async () => {
    const { dispatcher, sent, handedOver, post } = intakeAndDispatcher();
    await Promise.all(['5511001', '5511002', '5511003'].map(post));
    expect(handedOver.map((rows) => rows.map((row) => row.seq))).toEqual([[1, 2, 3]]);
    // Were the rows read back, these would be sent instead.
    db.$client.exec(`UPDATE outbox SET payload = '{"type":"read.back"}'`);

    expect(await dispatcher.drainOnce()).toBe(3);
    expect(sent.map(({ seq, type, customerWaId }) => [seq, type, customerWaId]).sort()).toEqual([
      [1, 'message.received', '5511001'],
      [2, 'message.received', '5511002'],
      [3, 'message.received', '5511003'],
    ]);
    expect(db.$client.prepare(`SELECT count(*) FROM outbox WHERE dispatched_at IS NULL`).pluck().get()).toBe(
      0,
    );
  });

  it('a row another writer queued in between sends the drain to the outbox: every row once, in order', async () => {
    const { dispatcher, sent, post } = intakeAndDispatcher();
    await post('5511001');
    const conversationId = db.$client.prepare(`SELECT id FROM conversations`).pluck().get() as string;
    // A tag change from the inbox, queued by the runtime between two webhook groups.
    const queued = createRoutedEventQueue(db, 4).enqueue(conversationId, {
      type: 'conversation.tagChanged',
      occurredAt: 2,
      tag: 'vip',
      change: 'added',
    });
    expect(queued).toBe(true);
    await post('5511002');

    // Row 1 continues the sequence as handed over; at the gap the next drain reads the outbox.
    expect(await dispatcher.drainOnce()).toBe(1);
    expect(await dispatcher.drainOnce()).toBe(2);
    expect(await dispatcher.drainOnce()).toBe(0);
    expect(sent.map((event) => [event.seq, event.type])).toEqual([
      [1, 'message.received'],
      [2, 'conversation.tagChanged'],
      [3, 'message.received'],
    ]);
    // Afterwards the hand-over continues from there.
    await post('5511003');
    db.$client.exec(`UPDATE outbox SET payload = '{"type":"read.back"}' WHERE seq = 4`);
    expect(await dispatcher.drainOnce()).toBe(1);
    expect(sent.at(-1)).toMatchObject({ seq: 4, type: 'message.received', customerWaId: '5511003' });
  });
});
