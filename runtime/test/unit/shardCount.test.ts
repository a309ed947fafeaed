import { shardOf } from '@switchboard/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppDatabase, openDatabase } from '../../src/db/database';
import { assertShardCountMatches } from '../../src/routing/shardCount';

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
