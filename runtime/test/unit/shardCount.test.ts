import { shardOf } from '@switchboard/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppDatabase, openDatabase } from '../../src/db/database';
import {
  assertShardCountMatches,
  NEW_DEPLOYMENT_SHARD_COUNT,
  settleShardCount,
} from '../../src/routing/shardCount';

let db: AppDatabase;
afterEach(() => db?.$client.close());

/** Outbox rows as the runtime stores them: each with its conversation's shard under `shardCount`. */
function routedWith(shardCount: number, conversations: number): void {
  const insert = db.$client.prepare(
    `INSERT INTO outbox (conversation_id, shard, payload, created_at) VALUES (?, ?, '{}', ?)`,
  );
  for (let i = 0; i < conversations; i++) {
    const conversationId = `conversation-${i}`;
    insert.run(conversationId, shardOf(conversationId, shardCount), Date.now());
  }
}

describe('the shard count of a data directory', () => {
  it('starts with the count its conversations were routed with', () => {
    db = openDatabase(':memory:');
    routedWith(8, 300);
    expect(() => assertShardCountMatches(db, 8)).not.toThrow();
  });

  it('refuses another count, naming the one in use', () => {
    db = openDatabase(':memory:');
    routedWith(8, 300);
    for (const wrong of [4, 16, 7]) {
      expect(() => assertShardCountMatches(db, wrong)).toThrow(
        new RegExp(`SHARD_COUNT is ${wrong}, but .* routed with SHARD_COUNT=8 .*set it back to 8`),
      );
    }
  });

  it('with too few events to tell the count, it still refuses one they contradict', () => {
    db = openDatabase(':memory:');
    routedWith(8, 1);
    const contradicted = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12].find(
      (count) => shardOf('conversation-0', count) !== shardOf('conversation-0', 8),
    );
    if (contradicted === undefined) throw new Error('one of these counts puts conversation-0 elsewhere');
    expect(() => assertShardCountMatches(db, contradicted)).toThrow(/routed with another shard count/);
  });

  it('a data directory that has routed nothing yet takes any count', () => {
    db = openDatabase(':memory:');
    expect(() => assertShardCountMatches(db, 3)).not.toThrow();
  });
});

describe('settling the shard count when the runtime starts', () => {
  const storedCount = () =>
    db.$client.prepare(`SELECT value FROM deployment_settings WHERE key = 'shard_count'`).pluck().get();

  it('a new data directory without SHARD_COUNT gets the new-deployment count, and keeps it', () => {
    db = openDatabase(':memory:');
    expect(settleShardCount(db, undefined)).toBe(NEW_DEPLOYMENT_SHARD_COUNT);
    expect(storedCount()).toBe(String(NEW_DEPLOYMENT_SHARD_COUNT));
    routedWith(NEW_DEPLOYMENT_SHARD_COUNT, 1);
    expect(settleShardCount(db, undefined)).toBe(NEW_DEPLOYMENT_SHARD_COUNT);
  });

  it('a given SHARD_COUNT is stored; later starts without it keep it, and another count is refused', () => {
    db = openDatabase(':memory:');
    expect(settleShardCount(db, 6)).toBe(6);
    routedWith(6, 50);
    expect(settleShardCount(db, undefined)).toBe(6);
    expect(settleShardCount(db, 6)).toBe(6);
    expect(() => settleShardCount(db, NEW_DEPLOYMENT_SHARD_COUNT)).toThrow(
      /SHARD_COUNT is 4, but this data directory routes with SHARD_COUNT=6.*set it back to 6/,
    );
  });

  it('a directory that routed before the count was stored keeps the count its events show', () => {
    db = openDatabase(':memory:');
    routedWith(16, 300);
    expect(settleShardCount(db, undefined)).toBe(16);
    expect(storedCount()).toBe('16');
  });

  it('with too few routed events to tell, an older directory keeps the earlier default of 8', () => {
    db = openDatabase(':memory:');
    routedWith(8, 1);
    expect(settleShardCount(db, undefined)).toBe(8);
  });

  it('a SHARD_COUNT that the routed events contradict is refused and nothing is stored', () => {
    db = openDatabase(':memory:');
    routedWith(8, 300);
    expect(() => settleShardCount(db, 4)).toThrow(/routed with SHARD_COUNT=8/);
    expect(storedCount()).toBeUndefined();
  });
});
