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
  const park = sqlite.prepare(
    `INSERT INTO unmatched_statuses (wa_message_id, status, received_at) VALUES (?, ?, ?)`,
  );
  const forgetOldParked = sqlite.prepare(`DELETE FROM unmatched_statuses WHERE received_at < ?`);
  let parked = 0;

  return function applyStatus(status: WaStatus): number {
    const rank = RANK[status.status];
    // Statuses of unknown kinds are kept in the raw event only.
    if (!rank) return 0;
    const message = outbound.get(status.id);
    if (!message) {
      // Meta's "sent" can arrive before the send that got this id has stored it: keep it for then.
      const now = Date.now();
      park.run(status.id, JSON.stringify(status), now);
      if (++parked % 1000 === 0) forgetOldParked.run(now - 24 * 3_600_000);
      return 0;
    }
    if (rank <= (RANK[message.status ?? ''] ?? 0)) return 0;
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

/**
 * Applies the statuses that arrived for a `wamid` before its message was stored; the sender calls
 * it right after storing. Returns how many routed events it queued (a failure becomes one).
 */
export function createParkedStatusReplay(db: AppDatabase, events: RoutedEventQueue) {
  const applyStatus = createDeliveryStatuses(db, events);
  const parked = db.$client
    .prepare<[string], string>(`SELECT status FROM unmatched_statuses WHERE wa_message_id = ? ORDER BY id`)
    .pluck();
  const forget = db.$client.prepare(`DELETE FROM unmatched_statuses WHERE wa_message_id = ?`);
  return db.$client.transaction((waMessageId: string): number => {
    let queued = 0;
    for (const status of parked.all(waMessageId)) queued += applyStatus(JSON.parse(status) as WaStatus);
    forget.run(waMessageId);
    return queued;
  });
}
