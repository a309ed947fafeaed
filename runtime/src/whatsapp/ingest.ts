import { createHash, randomUUID } from 'node:crypto';
import {
  inboundMessageText,
  inboundMessageType,
  type MessageReceivedEvent,
  type Priority,
  ROUTED_TEXT_LIMIT,
  shardOf,
  type WaWebhook,
} from '@switchboard/shared';
import { createRoutedEventQueue } from '../conversations/routedEventQueue';
import type { AppDatabase } from '../db/database';
import { createDeliveryStatuses } from './deliveryStatuses';

interface ContactRow {
  id: string;
  name: string | null;
  language: string | null;
  fields: string;
}

interface ConversationRow {
  id: string;
  status: 'open' | 'closed';
  priority: Priority;
  tags: string;
  opened_at: number | null;
  last_inbound_at: number | null;
  assignee_agent_id: string | null;
  team_id: string | null;
}

export interface IngestOutcome {
  /** False when this exact body was received before (Meta redelivers on timeouts). */
  newDelivery: boolean;
  messagesStored: number;
  duplicateMessages: number;
  eventsQueued: number;
}

/** The routed event as written to the outbox; the row's `seq` completes it. */
export type QueuedEvent = Omit<MessageReceivedEvent, 'seq'>;

/**
 * Stores one webhook delivery: the raw body, each new message, and one outbox row per message, in
 * a single SQLite transaction, so that a 200 always means "stored and will be routed".
 * Statements are prepared once: this is the webhook's hot path.
 */
export function createWebhookIngest(db: AppDatabase, shardCount: number) {
  const sqlite = db.$client;
  const applyStatus = createDeliveryStatuses(db, createRoutedEventQueue(db, shardCount));
  const insertDelivery = sqlite.prepare(
    `INSERT INTO webhook_events (body_sha256, body, signature, received_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (body_sha256) DO NOTHING`,
  );
  const insertNumber = sqlite.prepare(
    `INSERT INTO business_numbers (id, display_phone_number) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`,
  );
  const messageExists = sqlite.prepare(`SELECT 1 FROM messages WHERE wa_message_id = ?`).pluck();
  const upsertContact = sqlite.prepare<[string, string, string | null], ContactRow>(
    `INSERT INTO contacts (id, wa_id, name) VALUES (?, ?, ?)
     ON CONFLICT (wa_id) DO UPDATE SET name = coalesce(excluded.name, contacts.name)
     RETURNING id, name, language, fields`,
  );
  const findConversation = sqlite.prepare<[string, string], ConversationRow>(
    `SELECT id, status, priority, tags, opened_at, last_inbound_at, assignee_agent_id, team_id
       FROM conversations WHERE business_number_id = ? AND customer_wa_id = ?`,
  );
  const insertConversation = sqlite.prepare(
    `INSERT INTO conversations (id, business_number_id, contact_id, customer_wa_id, status, last_inbound_at, opened_at)
     VALUES (?, ?, ?, ?, 'open', ?, ?)`,
  );
  const touchConversation = sqlite.prepare(
    `UPDATE conversations SET last_inbound_at = max(coalesce(last_inbound_at, 0), ?) WHERE id = ?`,
  );
  const reopenConversation = sqlite.prepare(
    `UPDATE conversations SET status = 'open', opened_at = ?, closed_at = NULL, acknowledged_at = NULL,
            last_inbound_at = max(coalesce(last_inbound_at, 0), ?) WHERE id = ?`,
  );
  const insertMessage = sqlite.prepare(
    `INSERT INTO messages (id, wa_message_id, conversation_id, direction, type, text, payload, sent_at)
     VALUES (?, ?, ?, 'inbound', ?, ?, ?, ?)`,
  );
  const insertOutbox = sqlite.prepare(
    `INSERT INTO outbox (conversation_id, shard, payload, created_at) VALUES (?, ?, ?, ?)`,
  );
  // The number's own workflow when it has one, else the workspace's first published workflow.
  const publishedVersionFor = sqlite
    .prepare(
      `SELECT coalesce(
         (SELECT w.published_version_id FROM business_numbers b JOIN workflows w ON w.id = b.workflow_id
           WHERE b.id = ? AND w.status = 'published'),
         (SELECT published_version_id FROM workflows WHERE status = 'published'
           ORDER BY created_at, id LIMIT 1))`,
    )
    .pluck();

  return sqlite.transaction(
    (rawBody: string, signature: string, payload: WaWebhook, receivedAt: number): IngestOutcome => {
      const outcome: IngestOutcome = {
        newDelivery: false,
        messagesStored: 0,
        duplicateMessages: 0,
        eventsQueued: 0,
      };
      const sha = createHash('sha256').update(rawBody).digest('hex');
      if (insertDelivery.run(sha, rawBody, signature, receivedAt).changes === 0) return outcome;
      outcome.newDelivery = true;

      for (const entry of payload.entry) {
        for (const change of entry.changes) {
          const value = change.value;
          const numberId = value.metadata?.phone_number_id;
          if (change.field !== 'messages' || !numberId) continue;
          for (const status of value.statuses ?? []) outcome.eventsQueued += applyStatus(status);
          if (!value.messages) continue;
          insertNumber.run(numberId, value.metadata?.display_phone_number ?? null);
          const versionId = (publishedVersionFor.get(numberId) as string | null) ?? null;
          const names = new Map(value.contacts?.map((contact) => [contact.wa_id, contact.profile?.name]));

          for (const message of value.messages) {
            if (messageExists.get(message.id)) {
              outcome.duplicateMessages++;
              continue;
            }
            const contact = upsertContact.get(
              randomUUID(),
              message.from,
              names.get(message.from) ?? null,
            ) as ContactRow;
            const sentAt = Number(message.timestamp) * 1000;
            const existing = findConversation.get(numberId, message.from);
            const conversationId = existing?.id ?? randomUUID();
            const isNewConversation = !existing || existing.status === 'closed';
            if (!existing) {
              insertConversation.run(conversationId, numberId, contact.id, message.from, sentAt, sentAt);
            } else if (existing.status === 'closed') {
              reopenConversation.run(sentAt, sentAt, conversationId);
            } else {
              touchConversation.run(sentAt, conversationId);
            }

            const messageType = inboundMessageType(message);
            const text = inboundMessageText(message);
            insertMessage.run(
              randomUUID(),
              message.id,
              conversationId,
              messageType,
              text,
              JSON.stringify(message),
              sentAt,
            );
            outcome.messagesStored++;

            const event: QueuedEvent = {
              type: 'message.received',
              conversationId,
              businessNumberId: numberId,
              customerWaId: message.from,
              workflowVersionId: versionId,
              occurredAt: sentAt,
              messageId: message.id,
              messageType,
              text: text === null ? null : text.slice(0, ROUTED_TEXT_LIMIT),
              isNewConversation,
              facts: {
                tags: existing ? JSON.parse(existing.tags) : [],
                priority: existing?.priority ?? 'normal',
                openedAt: isNewConversation ? sentAt : (existing?.opened_at ?? sentAt),
                lastInboundAt: sentAt,
                assigneeAgentId: existing?.assignee_agent_id ?? null,
                teamId: existing?.team_id ?? null,
                contact: {
                  name: contact.name,
                  language: contact.language,
                  fields: JSON.parse(contact.fields),
                },
              },
            };
            insertOutbox.run(
              conversationId,
              shardOf(conversationId, shardCount),
              JSON.stringify(event),
              receivedAt,
            );
            outcome.eventsQueued++;
          }
        }
      }
      return outcome;
    },
  );
}

export type WebhookIngest = ReturnType<typeof createWebhookIngest>;
