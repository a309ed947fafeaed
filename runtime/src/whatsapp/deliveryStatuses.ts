import type { WaStatus } from '@switchboard/shared';
import type { RoutedEventQueue } from '../conversations/routedEventQueue';
import type { AppDatabase } from '../db/database';

/** Statuses only move forward: Meta delivers them unordered, and a late "delivered" must not undo "read". */
const RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * Applies delivery statuses of our outbound messages, inside the webhook's transaction. A failure
 * becomes a `message.deliveryFailed` routed event, so workflows can react to it. Returns how many
 * routed events it queued.
 */
export function createDeliveryStatuses(db: AppDatabase, events: RoutedEventQueue) {
  const sqlite = db.$client;
  const outbound = sqlite.prepare<[string], { conversation_id: string; status: string | null }>(
    `SELECT conversation_id, status FROM messages WHERE wa_message_id = ? AND direction = 'outbound'`,
  );
  const update = sqlite.prepare(
    `UPDATE messages SET status = ?, status_at = ?, status_errors = ? WHERE wa_message_id = ?`,
  );

  return function applyStatus(status: WaStatus): number {
    const rank = RANK[status.status];
    const message = outbound.get(status.id);
    // Statuses of messages sent outside Switchboard (or of unknown kinds) are kept in the raw event only.
    if (!rank || !message || rank <= (RANK[message.status ?? ''] ?? 0)) return 0;
    const at = Number(status.timestamp) * 1000;
    update.run(status.status, at, status.errors ? JSON.stringify(status.errors) : null, status.id);
    if (status.status !== 'failed') return 0;
    const error = status.errors?.[0];
    events.enqueue(message.conversation_id, {
      type: 'message.deliveryFailed',
      occurredAt: at,
      messageId: status.id,
      errorCode: error?.code ?? null,
      errorTitle: error?.title ?? error?.message ?? null,
    });
    return 1;
  };
}
