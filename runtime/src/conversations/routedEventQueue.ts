import { type RoutedEvent, shardOf } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';
import { createConversationFacts } from './conversationFacts';

/** Distributes Omit over the routed event union. */
type WithoutRouting<T> = T extends unknown
  ? Omit<T, 'seq' | 'conversationId' | 'businessNumberId' | 'customerWaId' | 'facts' | 'workflowVersionId'>
  : never;
export type ConversationEventInput = WithoutRouting<RoutedEvent>;

/**
 * Puts a non-WhatsApp event (an acknowledgement, a reply, a workflow hand-off) into the outbox,
 * so it reaches the conversation's router shard the same way, in the same order, as messages.
 * Call inside the transaction that makes the change it reports.
 */
export function createRoutedEventQueue(db: AppDatabase, shardCount: number) {
  const facts = createConversationFacts(db);
  const insert = db.$client.prepare(
    `INSERT INTO outbox (conversation_id, shard, payload, created_at) VALUES (?, ?, ?, ?)`,
  );
  const publishedVersionOf = db.$client
    .prepare<[string], string | null>(
      `SELECT published_version_id FROM workflows WHERE id = ? AND status = 'published'`,
    )
    .pluck();
  const currentVersionFor = db.$client
    .prepare<[string], string | null>(
      `SELECT coalesce(
         (SELECT w.published_version_id FROM business_numbers b JOIN workflows w ON w.id = b.workflow_id
           WHERE b.id = ? AND w.status = 'published'),
         (SELECT published_version_id FROM workflows WHERE status = 'published' ORDER BY created_at, id LIMIT 1))`,
    )
    .pluck();

  return {
    /**
     * Returns false when the conversation does not exist. A new execution starts on `workflowVersionId`
     * when given, else on the published version of `workflowId`, else on the conversation's workflow.
     */
    enqueue(
      conversationId: string,
      event: ConversationEventInput,
      options: { workflowId?: string; workflowVersionId?: string } = {},
    ): boolean {
      const snapshot = facts(conversationId);
      if (!snapshot) return false;
      const workflowVersionId =
        options.workflowVersionId ??
        (options.workflowId
          ? (publishedVersionOf.get(options.workflowId) ?? null)
          : (currentVersionFor.get(snapshot.businessNumberId) ?? null));
      const payload = { ...event, ...snapshot, workflowVersionId };
      insert.run(conversationId, shardOf(conversationId, shardCount), JSON.stringify(payload), Date.now());
      return true;
    },
  };
}

export type RoutedEventQueue = ReturnType<typeof createRoutedEventQueue>;
