import type { ConversationChange } from '@switchboard/shared';
import { isDatabaseBusy } from '../api/httpError';
import type { AppDatabase } from '../db/database';
import type { LivePublisher } from '../live/liveHub';

const BUSY_RETRY_MS = 100;

/**
 * Tells everyone who may have the conversation open or listed that it changed: its assignee, its
 * team (the conversation's, else its business number's), people mentioned in its notes, and the
 * managers and admins. Carries ids only; pages fetch what they show.
 */
export function createConversationNews(db: AppDatabase, live: LivePublisher) {
  const audience = db.$client
    .prepare<[{ conversationId: string }], string>(
      `SELECT c.assignee_agent_id FROM conversations c WHERE c.id = @conversationId AND c.assignee_agent_id IS NOT NULL
       UNION SELECT m.agent_id FROM conversations c
         LEFT JOIN business_numbers b ON b.id = c.business_number_id
         JOIN team_members m ON m.team_id = coalesce(c.team_id, b.team_id)
        WHERE c.id = @conversationId
       UNION SELECT j.value FROM notes n, json_each(n.mentions) j WHERE n.conversation_id = @conversationId
       UNION SELECT id FROM agents WHERE role IN ('manager', 'admin') AND deactivated_at IS NULL`,
    )
    .pluck();

  // One commit for the whole audience: journaling each recipient in its own transaction cost ~0.1 ms apiece.
  const announceAll = db.$client.transaction((conversationId: string, change: ConversationChange) => {
    for (const agentId of audience.all({ conversationId })) {
      live.publish(agentId, { type: 'conversation.updated', conversationId, change });
    }
  });
  return function announce(conversationId: string, change: ConversationChange): void {
    try {
      // IMMEDIATE takes the write lock up front (waiting out busy_timeout); a deferred transaction
      // that reads first fails at once with SQLITE_BUSY_SNAPSHOT when the worker process committed.
      announceAll.immediate(conversationId, change);
    } catch (error) {
      if (!isDatabaseBusy(error as { code?: unknown })) throw error;
      // The caller's change is committed already; the journal is what reconnecting pages catch up
      // from, so the news is tried again shortly rather than lost or turned into the caller's error.
      setTimeout(() => announce(conversationId, change), BUSY_RETRY_MS).unref();
    }
  };
}

export type ConversationNews = ReturnType<typeof createConversationNews>;

/**
 * Drains `message_changes` (filled by triggers, whichever process wrote the message) into
 * conversation news, a batch at a time, collapsing repeats within a batch.
 */
export function startMessageFeed(db: AppDatabase, announce: ConversationNews, intervalMs = 250) {
  const sqlite = db.$client;
  const batch = sqlite.prepare<
    [number],
    { seq: number; conversationId: string; change: 'message' | 'messageStatus' }
  >(
    `SELECT seq, conversation_id AS conversationId, change FROM message_changes WHERE seq > ? ORDER BY seq LIMIT 500`,
  );
  const forget = sqlite.prepare(`DELETE FROM message_changes WHERE seq <= ?`);
  // Changes from before this start are old news: open pages fetch state on (re)connect.
  let cursor = sqlite.prepare<[], number | null>(`SELECT max(seq) FROM message_changes`).pluck().get() ?? 0;
  const drain = () => {
    const rows = batch.all(cursor);
    if (rows.length === 0) return;
    cursor = (rows[rows.length - 1] as { seq: number }).seq;
    const distinct = new Map(rows.map((row) => [`${row.conversationId}|${row.change}`, row]));
    for (const row of distinct.values()) announce(row.conversationId, row.change);
    try {
      forget.run(cursor);
    } catch (error) {
      // Forgetting can wait for the next turn (it deletes everything up to the cursor).
      if (!isDatabaseBusy(error as { code?: unknown })) throw error;
    }
  };
  const timer = setInterval(() => {
    try {
      drain();
    } catch (error) {
      // Never the end of the process: what was not announced stays in `message_changes`.
      if (!isDatabaseBusy(error as { code?: unknown })) throw error;
    }
  }, intervalMs);
  timer.unref();
  return { drain, stop: () => clearInterval(timer) };
}
