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
  const sqlite = db.$client;
  // Three plain lookups instead of one UNION of them: the UNION built a temporary b-tree per
  // conversation, and the team's members are the same for most of a batch (asked once per team).
  const ownerAndTeam = sqlite.prepare<[string], { assigneeId: string | null; teamId: string | null }>(
    `SELECT c.assignee_agent_id AS assigneeId, coalesce(c.team_id, b.team_id) AS teamId
       FROM conversations c LEFT JOIN business_numbers b ON b.id = c.business_number_id WHERE c.id = ?`,
  );
  const teamMembers = sqlite
    .prepare<[string], string>(`SELECT agent_id FROM team_members WHERE team_id = ?`)
    .pluck();
  const mentioned = sqlite
    .prepare<[string], string>(
      `SELECT j.value FROM notes n, json_each(n.mentions) j WHERE n.conversation_id = ?`,
    )
    .pluck();
  // Managers and admins hear of every conversation: asked once per batch, not once per change.
  const staff = sqlite
    .prepare<[], string>(
      `SELECT id FROM agents WHERE role IN ('manager', 'admin') AND deactivated_at IS NULL`,
    )
    .pluck();
  // One read transaction for the whole batch: each statement on its own would start a read of its
  // own, and SQLite drops a connection's page cache whenever another connection (the other
  // process) committed since its last read, so most lookups re-read their pages from the file.
  const audiences = sqlite.transaction((conversationIds: Iterable<string>) => {
    const everyone = staff.all();
    const membersByTeam = new Map<string, string[]>();
    const audienceOf = new Map<string, Set<string>>();
    for (const conversationId of conversationIds) {
      const audience = new Set<string>();
      const conversation = ownerAndTeam.get(conversationId);
      if (conversation?.assigneeId) audience.add(conversation.assigneeId);
      if (conversation?.teamId) {
        let members = membersByTeam.get(conversation.teamId);
        if (!members) {
          members = teamMembers.all(conversation.teamId);
          membersByTeam.set(conversation.teamId, members);
        }
        for (const agentId of members) audience.add(agentId);
      }
      for (const agentId of mentioned.all(conversationId)) audience.add(agentId);
      for (const agentId of everyone) audience.add(agentId);
      audienceOf.set(conversationId, audience);
    }
    return audienceOf;
  });
  return (changes: readonly ConversationChangeNews[]): LiveDelivery[] => {
    if (changes.length === 0) return [];
    const distinct = [
      ...new Map(
        changes.map(({ conversationId, change }) => [
          `${conversationId}|${change}`,
          { conversationId, change },
        ]),
      ).values(),
    ];
    const audienceOf = audiences(new Set(distinct.map((news) => news.conversationId)));
    const newsByAgent = new Map<string, ConversationChangeNews[]>();
    for (const news of distinct) {
      for (const agentId of audienceOf.get(news.conversationId) ?? []) {
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
