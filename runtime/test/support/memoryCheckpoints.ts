import type { RoutingActivities } from '../../src/routing/routingActivities';
import type { ShardCheckpointPage } from '../../src/routing/shardCheckpoint';

/** Shard checkpoints kept in memory, for router shards run on fake activities. */
export function memoryCheckpoints(
  /** A slow store, so that tests can send events while a shard is writing its checkpoint. */
  saveDelayMs = 0,
): Pick<RoutingActivities, 'saveCheckpointPage' | 'loadCheckpointPage'> & {
  pages: Map<string, ShardCheckpointPage>;
} {
  const pages = new Map<string, ShardCheckpointPage>();
  return {
    pages,
    async saveCheckpointPage({ runId, page, content }) {
      if (saveDelayMs) await new Promise((resolve) => setTimeout(resolve, saveDelayMs));
      pages.set(`${runId}#${page}`, structuredClone(content));
    },
    async loadCheckpointPage({ runId, page }) {
      const content = pages.get(`${runId}#${page}`);
      if (!content) throw new Error(`no checkpoint ${runId} page ${page}`);
      return structuredClone(content);
    },
  };
}
