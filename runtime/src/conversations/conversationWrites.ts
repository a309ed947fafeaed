import type { Priority } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';

export interface NoteRow {
  id: string;
  conversationId: string;
  /** Null for a workflow's note. */
  authorAgentId: string | null;
  text: string;
  mentions: string[];
  createdAt: number;
}

/**
 * The changes an agent (the inbox) and a workflow (conversation effects) both make to a
 * conversation, one statement each, so the two ways of tagging, closing or reopening one cannot
 * drift apart. Callers run them inside their own transaction.
 */
export function prepareConversationWrites(db: AppDatabase) {
  const sqlite = db.$client;
  const tagsOf = sqlite.prepare<[string], string>(`SELECT tags FROM conversations WHERE id = ?`).pluck();
  const setTags = sqlite.prepare<[string, string]>(`UPDATE conversations SET tags = ? WHERE id = ?`);
  const setPriority = sqlite.prepare<[Priority, string]>(
    `UPDATE conversations SET priority = ? WHERE id = ?`,
  );
  const close = sqlite.prepare<[number, string]>(
    `UPDATE conversations SET status = 'closed', closed_at = ? WHERE id = ?`,
  );
  // A closed conversation opened again starts a new open period (its SLA clocks start over, as
  // when the customer writes again); reopening an open one changes nothing.
  const reopen = sqlite.prepare<[number, string]>(
    `UPDATE conversations SET status = 'open', closed_at = NULL, opened_at = ? WHERE id = ? AND status = 'closed'`,
  );
  const insertNote = sqlite.prepare<[string, string, string | null, string, string, number]>(
    `INSERT INTO notes (id, conversation_id, author_agent_id, text, mentions, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );

  return {
    tagsOf: (conversationId: string): string[] => JSON.parse(tagsOf.get(conversationId) ?? '[]'),
    /** Stored sorted, without repeats. */
    setTags: (conversationId: string, tags: Iterable<string>) =>
      setTags.run(JSON.stringify([...new Set(tags)].sort()), conversationId),
    setPriority: (conversationId: string, priority: Priority) => setPriority.run(priority, conversationId),
    close: (conversationId: string, now: number) => close.run(now, conversationId),
    reopen: (conversationId: string, now: number) => reopen.run(now, conversationId),
    insertNote: (note: NoteRow) =>
      insertNote.run(
        note.id,
        note.conversationId,
        note.authorAgentId,
        note.text,
        JSON.stringify(note.mentions),
        note.createdAt,
      ),
  };
}
