import {
  type ConversationChange,
  type ConversationChangeNews,
  MAX_CHANGES_PER_MESSAGE,
} from '@switchboard/shared';
import { isDatabaseBusy } from '../api/httpError';
import type { AppDatabase } from '../db/database';
import { writeIfFree } from '../db/writeLock';
import type { LiveDelivery, LivePublisher } from '../live/liveHub';

/**
 * Tells everyone who may have the conversation open or listed that it changed: its assignee, its
 * team (the conversation's, else its business number's), people mentioned in its notes, and the
 * managers and admins. Carries ids only; pages fetch what they show.
 */
export function createConversationNews(db: AppDatabase, live: LivePublisher) {
  const announceAll = createBatchNews(db, live);
  return function announce(conversationId: string, change: ConversationChange): void {
    announceAll([{ conversationId, change }]);
  };
}

/**
 * The deliveries that tell each conversation's audience about its change: one message per person
 * (split past `MAX_CHANGES_PER_MESSAGE`) with all of the batch's changes they are told about, each
 * once. A read: the router worker asks it for a whole effect chunk and sends the result with that
 * chunk's assignments. A message per change and person was most of the runtime's journal writes
 * and socket frames in a burst (measured in `pnpm bench`).
 */
export function createNewsAudience(db: AppDatabase) {
  const conversationAudience = db.$client
    .prepare<[{ conversationId: string }], string>(
      `SELECT c.assignee_agent_id FROM conversations c WHERE c.id = @conversationId AND c.assignee_agent_id IS NOT NULL
       UNION SELECT m.agent_id FROM conversations c
         LEFT JOIN business_numbers b ON b.id = c.business_number_id
         JOIN team_members m ON m.team_id = coalesce(c.team_id, b.team_id)
        WHERE c.id = @conversationId
       UNION SELECT j.value FROM notes n, json_each(n.mentions) j WHERE n.conversation_id = @conversationId`,
    )
    .pluck();
  // Managers and admins hear of every conversation: asked once per batch, not once per change.
  const staff = db.$client
    .prepare<[], string>(
      `SELECT id FROM agents WHERE role IN ('manager', 'admin') AND deactivated_at IS NULL`,
    )
    .pluck();
  return (changes: readonly ConversationChangeNews[]): LiveDelivery[] => {
    const distinct = new Map(
      changes.map(({ conversationId, change }) => [
        `${conversationId}|${change}`,
        { conversationId, change },
      ]),
    );
    const everyone = staff.all();
    const newsByAgent = new Map<string, ConversationChangeNews[]>();
    for (const news of distinct.values()) {
      const audience = new Set([
        ...conversationAudience.all({ conversationId: news.conversationId }),
        ...everyone,
      ]);
      for (const agentId of audience) {
        const theirs = newsByAgent.get(agentId);
        if (theirs) theirs.push(news);
        else newsByAgent.set(agentId, [news]);
      }
    }
    return [...newsByAgent].flatMap(([agentId, theirs]) =>
      inBatchesOf(theirs, MAX_CHANGES_PER_MESSAGE).map((batch) => ({
        agentId,
        message: { type: 'conversations.updated', changes: batch } as const,
      })),
    );
  };
}

function inBatchesOf<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

/** Announces many changes with one journal commit for all their audiences. */
export function createBatchNews(db: AppDatabase, live: LivePublisher) {
  const deliveriesFor = createNewsAudience(db);
  return function announceAll(changes: readonly ConversationChangeNews[]): void {
    // A busy journal does not fail the caller, whose change is committed already: the hub
    // journals and sends the news as soon as the lock is free.
    if (changes.length > 0) live.publishAll(deliveriesFor(changes));
  };
}

export type ConversationNews = ReturnType<typeof createConversationNews>;

/**
 * Drains `message_changes` (filled by triggers, whichever process wrote the message) into
 * conversation news, a batch at a time (the audience collapses repeats within a batch).
 */
export function startMessageFeed(
  db: AppDatabase,
  announceAll: ReturnType<typeof createBatchNews>,
  intervalMs = 250,
) {
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
    announceAll(rows);
    // Forgetting can wait for the next turn (it deletes everything up to the cursor): never for the lock.
    writeIfFree(sqlite, () => forget.run(cursor));
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
