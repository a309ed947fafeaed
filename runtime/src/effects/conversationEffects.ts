import type { Effect, EffectResult } from '@switchboard/shared';
import { prepareConversationWrites } from '../conversations/conversationWrites';
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
  const writes = prepareConversationWrites(db);
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
          const tags = new Set(writes.tagsOf(effect.conversationId));
          if (effect.change === 'add') tags.add(effect.tag);
          else tags.delete(effect.tag);
          writes.setTags(effect.conversationId, tags);
          break;
        }
        case 'setPriority':
          writes.setPriority(effect.conversationId, effect.priority);
          break;
        case 'setStatus':
          if (effect.status === 'closed') writes.close(effect.conversationId, now);
          else writes.reopen(effect.conversationId, now);
          break;
        case 'note':
          writes.insertNote({
            id: timeOrderedId(),
            conversationId: effect.conversationId,
            authorAgentId: null,
            text: effect.text,
            mentions,
            createdAt: now,
          });
          break;
      }
      const result: EffectResult = { type: 'done' };
      results.remember(effect.key, effect.conversationId, result);
      return { result, mentions };
    },
  );

  return (effect: ConversationEffect, now: number) => apply.immediate(effect, now);
}
