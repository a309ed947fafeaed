import type { Effect, EffectResult } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';
import { timeOrderedId } from '../db/timeOrderedId';
import type { EffectResults } from './effectResults';

type ConversationEffect = Extract<Effect, { type: 'tag' | 'setPriority' | 'setStatus' | 'note' }>;

/**
 * Tag, priority, status and note: database changes made in one transaction together with the
 * stored result, so a retried activity never applies them twice. Returns mentioned agent ids
 * (to notify) for notes, on a retry too.
 */
export function createConversationEffects(db: AppDatabase, results: EffectResults) {
  const sqlite = db.$client;
  const tagsOf = sqlite.prepare<[string], string>(`SELECT tags FROM conversations WHERE id = ?`).pluck();
  const setTags = sqlite.prepare(`UPDATE conversations SET tags = ? WHERE id = ?`);
  const setPriority = sqlite.prepare(`UPDATE conversations SET priority = ? WHERE id = ?`);
  const close = sqlite.prepare(`UPDATE conversations SET status = 'closed', closed_at = ? WHERE id = ?`);
  const reopen = sqlite.prepare(
    `UPDATE conversations SET status = 'open', closed_at = NULL, opened_at = coalesce(opened_at, ?) WHERE id = ?`,
  );
  const insertNote = sqlite.prepare(
    `INSERT INTO notes (id, conversation_id, author_agent_id, text, mentions, created_at) VALUES (?, ?, NULL, ?, ?, ?)`,
  );
  const knownAgents = sqlite.prepare<[string], number>(`SELECT 1 FROM agents WHERE id = ?`).pluck();

  const apply = sqlite.transaction(
    (effect: ConversationEffect, now: number): { result: EffectResult; mentions: string[] } => {
      // Unknown handles stay in the text but notify nobody.
      const mentions =
        effect.type === 'note' ? effect.mentions.filter((agentId) => knownAgents.get(agentId)) : [];
      // A retry still returns the mentions: the worker may have died between this commit and the
      // notifications, whose ids come from the effect key, so notifying again repeats none.
      const earlier = results.find(effect.key);
      if (earlier) return { result: earlier, mentions };
      switch (effect.type) {
        case 'tag': {
          const tags = new Set<string>(JSON.parse(tagsOf.get(effect.conversationId) ?? '[]'));
          if (effect.change === 'add') tags.add(effect.tag);
          else tags.delete(effect.tag);
          setTags.run(JSON.stringify([...tags].sort()), effect.conversationId);
          break;
        }
        case 'setPriority':
          setPriority.run(effect.priority, effect.conversationId);
          break;
        case 'setStatus':
          if (effect.status === 'closed') close.run(now, effect.conversationId);
          else reopen.run(now, effect.conversationId);
          break;
        case 'note':
          insertNote.run(timeOrderedId(), effect.conversationId, effect.text, JSON.stringify(mentions), now);
          break;
      }
      const result: EffectResult = { type: 'done' };
      results.remember(effect.key, effect.conversationId, result);
      return { result, mentions };
    },
  );

  return (effect: ConversationEffect, now: number) => apply.immediate(effect, now);
}
