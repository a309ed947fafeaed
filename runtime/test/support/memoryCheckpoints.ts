import type { RoutingActivities } from '../../src/routing/routingActivities';
import type { ShardCheckpointPage } from '../../src/routing/shardCheckpoint';

/** Shard checkpoints kept in memory, for router shards run on fake activities. */
export function memoryCheckpoints(): Pick<RoutingActivities, 'saveCheckpointPage' | 'loadCheckpointPage'> & {
  pages: Map<string, ShardCheckpointPage>;
} {
  const pages = new Map<string, ShardCheckpointPage>();
  return {
    pages,
    async saveCheckpointPage({ runId, page, content }) {
      pages.set(`${runId}#${page}`, structuredClone(content));
    },
    async loadCheckpointPage({ runId, page }) {
      const content = pages.get(`${runId}#${page}`);
      if (!content) throw new Error(`no checkpoint ${runId} page ${page}`);
      return structuredClone(content);
    },
  };
}
