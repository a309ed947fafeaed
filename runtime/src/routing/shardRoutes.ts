import type { FastifyPluginAsync } from 'fastify';
import { type createShardHealth, TEMPORAL_HISTORY_LIMIT_BYTES } from './shardHealth';

export interface ShardRoutesOptions {
  health: Pick<ReturnType<typeof createShardHealth>, 'read'>;
}

/** The router shards' current runs, for operators (admins): history size against Temporal's limits. */
export const shardRoutes: FastifyPluginAsync<ShardRoutesOptions> = async (app, { health }) => {
  app.get('/api/router/shards', { config: { access: 'admin' } }, async () => ({
    historyLimitBytes: TEMPORAL_HISTORY_LIMIT_BYTES,
    shards: await health.read(),
  }));
};
