import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../access/identities';
import { parseInput } from '../api/parseInput';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';

export interface NotificationRoutesOptions {
  db: AppDatabase;
}

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
const readBody = z.object({ ids: z.array(z.string().min(1)).max(500).optional() });

/** The signed-in person's in-app notifications and their unread count. */
export const notificationRoutes: FastifyPluginAsync<NotificationRoutesOptions> = async (app, { db }) => {
  const sqlite = db.$client;
  const list = sqlite.prepare<[string, number]>(
    `SELECT id, conversation_id AS conversationId, title, body, reason, read_at AS readAt, created_at AS createdAt
       FROM notifications WHERE agent_id = ? AND channel = 'in_app' ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  );
  const unread = sqlite
    .prepare<[string], number>(
      `SELECT count(*) FROM notifications WHERE agent_id = ? AND channel = 'in_app' AND read_at IS NULL`,
    )
    .pluck();
  const readAll = sqlite.prepare(
    `UPDATE notifications SET read_at = ? WHERE agent_id = ? AND channel = 'in_app' AND read_at IS NULL`,
  );
  const readOne = sqlite.prepare(
    `UPDATE notifications SET read_at = coalesce(read_at, ?) WHERE agent_id = ? AND id = ? AND channel = 'in_app'`,
  );

  const readMany = sqlite.transaction((ids: string[], agentId: string, now: number) => {
    for (const id of ids) readOne.run(now, agentId, id);
  });

  app.get('/api/notifications', async (request) => {
    const { agentId } = request.actor as Actor;
    const { limit } = parseInput(listQuery, request.query);
    return { notifications: list.all(agentId, limit), unread: unread.get(agentId) ?? 0 };
  });

  /** Marks the given notifications (or all of them) read; only ever the caller's own. */
  app.post('/api/notifications/read', async (request) => {
    const { agentId } = request.actor as Actor;
    const { ids } = parseInput(readBody, request.body);
    const now = Date.now();
    // Waits for the write lock with the event loop free (see writeWhenFree).
    await writeWhenFree(sqlite, () => {
      if (ids) readMany.immediate(ids, agentId, now);
      else readAll.run(now, agentId);
    });
    return { unread: unread.get(agentId) ?? 0 };
  });
};
