import { describe, expect, it } from 'vitest';
import { shardOf } from './shard';

describe('shardOf', () => {
  it('is 32-bit FNV-1a, so a conversation keeps its shard across releases', () => {
    // Reference hashes of FNV-1a: "a" → 0xe40c292c, "conversation-1" → 0xaf571c80, "" → 0x811c9dc5.
    // Changing the hash would move live conversations to routers that do not know them.
    expect([shardOf('a', 8), shardOf('conversation-1', 8), shardOf('', 8)]).toEqual([
      0xe40c292c % 8,
      0xaf571c80 % 8,
      0x811c9dc5 % 8,
    ]);
    expect(shardOf('a', 1000)).toBe(0xe40c292c % 1000);
  });

  it('spreads 8,000 random ids over 8 shards within 15% of even', () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[shardOf(crypto.randomUUID(), 8)]++;
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });
});
