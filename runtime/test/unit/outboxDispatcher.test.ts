import type { Client } from '@temporalio/client';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppDatabase, openDatabase } from '../../src/db/database';
import { lingerAfter, MAX_LINGER_MS, OutboxDispatcher } from '../../src/routing/dispatcher';

/** The Temporal client as the dispatcher uses it: each signal's shard and sequences, in order. */
function recordingClient() {
  const signals: { workflowId: string; seqs: number[] }[] = [];
  const client = {
    workflow: {
      async signalWithStart(
        _workflow: unknown,
        options: { workflowId: string; signalArgs: [{ seq: number }[]] },
      ) {
        signals.push({
          workflowId: options.workflowId,
          seqs: options.signalArgs[0].map((event) => event.seq),
        });
      },
    },
  } as unknown as Client;
  return { client, signals };
}

let db: AppDatabase;
afterEach(() => db?.$client.close());

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
    const dispatcher = new OutboxDispatcher({ db, client, taskQueue: 'q', log: pino({ level: 'silent' }) });
    queueEvents([0, 1, 2, 1, 0]);
    db.$client
      .prepare(`INSERT INTO shard_holds (shard, run_id, until) VALUES (2, 'run-a', ?)`)
      .run(Date.now() + 60_000);

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
    const dispatcher = new OutboxDispatcher({ db, client, taskQueue: 'q', log: pino({ level: 'silent' }) });
    queueEvents([3]);
    db.$client
      .prepare(`INSERT INTO shard_holds (shard, run_id, until) VALUES (3, 'run-b', ?)`)
      .run(Date.now() - 1);
    expect(await dispatcher.drainOnce()).toBe(1);
    expect(signals).toEqual([{ workflowId: 'q-shard-3', seqs: [1] }]);
  });
});

describe('outbox dispatcher lingering after a send', () => {
  it('waits 1 ms per event it sent, up to the longest linger', () => {
    expect([0, 1, 2, 40, 100, 5000].map((sent) => lingerAfter(sent))).toEqual([
      0,
      1,
      2,
      40,
      100,
      MAX_LINGER_MS,
    ]);
    expect(lingerAfter(500, 0)).toBe(0);
  });

  /** A running dispatcher that has just sent `count` events of `shard` in its first signal. */
  async function lingeringAfterFirstSignal(maxLingerMs: number, count: number, shard: number) {
    db = openDatabase(':memory:');
    const { client, signals } = recordingClient();
    const dispatcher = new OutboxDispatcher({
      db,
      client,
      taskQueue: 'q',
      log: pino({ level: 'silent' }),
      maxLingerMs,
    });
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

  it('stopping ends a linger at once', async () => {
    const { dispatcher } = await lingeringAfterFirstSignal(5000, 5000, 1);
    const stopping = performance.now();
    await dispatcher.stop();
    expect(performance.now() - stopping).toBeLessThan(2500);
  });
});
