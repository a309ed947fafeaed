import websocket from '@fastify/websocket';
import type { SocketMessage } from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDatabase } from '../db/database';
import type { LiveHub } from './liveHub';

export interface SocketRoutesOptions {
  db: AppDatabase;
  live: LiveHub;
}

/** `/ws?agentId=…`: pushes the agent's new assignments. Closes with 4404 for an unknown agent. */
export const socketRoutes: FastifyPluginAsync<SocketRoutesOptions> = async (app, options) => {
  await app.register(websocket);
  const agentExists = options.db.$client
    .prepare<[string], number>(`SELECT 1 FROM agents WHERE id = ?`)
    .pluck();

  app.get('/ws', { websocket: true }, (socket, request) => {
    const agentId = (request.query as Record<string, string | undefined>).agentId;
    if (!agentId || !agentExists.get(agentId)) {
      socket.close(4404, agentId ? `no agent "${agentId}"` : 'agentId is required');
      return;
    }
    const send = (message: SocketMessage) => socket.send(JSON.stringify(message));
    const unsubscribe = options.live.subscribe(agentId, send);
    socket.on('close', unsubscribe);
    send({ type: 'hello', agentId });
  });
};
