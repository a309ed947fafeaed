/**
 * Stable shard of a conversation: FNV-1a over the id. Must never change for a given shard count,
 * or in-flight conversations would move to a router that does not know them.
 */
export function shardOf(conversationId: string, shardCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < conversationId.length; i++) {
    hash ^= conversationId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shardCount;
}
