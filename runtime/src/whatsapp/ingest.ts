import { createHash } from 'node:crypto';
import {
  changedCustomerNumber,
  inboundMessageMedia,
  inboundMessageReplyId,
  inboundMessageText,
  inboundMessageType,
  type MessageReceivedEvent,
  type Priority,
  ROUTED_TEXT_LIMIT,
  shardOf,
  type WaInboundMessage,
  type WaWebhookEnvelope,
  waChangeValueSchema,
  waInboundMessageSchema,
  waStatusSchema,
} from '@switchboard/shared';
import { z } from 'zod';
import { createRoutedEventQueue } from '../conversations/routedEventQueue';
import type { AppDatabase } from '../db/database';
import { timeOrderedId } from '../db/timeOrderedId';
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
  /** Messages, statuses or values kept only as notices: malformed, or storing them failed. */
  rejected: number;
}

/** The routed event as written to the outbox; the row's `seq` completes it. */
export type QueuedEvent = Omit<MessageReceivedEvent, 'seq'>;

/** An outbox row as a webhook group wrote it, handed to the dispatcher once the group committed. */
export interface QueuedRow {
  seq: number;
  shard: number;
  event: QueuedEvent;
}

/** What a group commit stored: each delivery's outcome, and the outbox rows of its new messages in order. */
export interface GroupOutcome {
  outcomes: IngestOutcome[];
  queued: QueuedRow[];
}

/** A `messages` change with its items still unchecked: each is checked on its own. */
const messagesValueSchema = waChangeValueSchema.extend({
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

type NoticeKind = 'value_errors' | 'other_field' | 'message_rejected';

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}`;
}

/**
 * Stores one webhook delivery: the raw body first, then each new message and one outbox row per
 * message, in a single SQLite transaction, so that a 200 always means "stored and will be routed".
 * A message or status that is malformed or fails to store is kept as a notice (the raw body has it
 * too) and never costs the rest of the batch: stored alone, each has a savepoint of its own; stored
 * in a group (`storeGroup`), a failure fails the group, which is then stored one delivery at a time.
 * Statements are prepared once: this is the webhook's hot path.
 */
export function createWebhookIngest(db: AppDatabase, shardCount: number) {
  const sqlite = db.$client;
  const applyStatus = createDeliveryStatuses(db, createRoutedEventQueue(db, shardCount));
  const insertDelivery = sqlite.prepare(
    `INSERT INTO webhook_events (body_sha256, body, signature, received_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (body_sha256) DO NOTHING`,
  );
  const insertNotice = sqlite.prepare(
    `INSERT INTO webhook_notices (webhook_event_id, kind, field, business_number_id, detail, received_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertNumber = sqlite.prepare(
    `INSERT INTO business_numbers (id, display_phone_number) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`,
  );
  const messageExists = sqlite.prepare(`SELECT 1 FROM messages WHERE wa_message_id = ?`).pluck();
  // A lookup, then an insert or a rename only when needed, rather than one upsert with RETURNING:
  // that rewrote a returning customer's row with the name it already had, and its RETURNING cost
  // more than the lookup. 40,000 deliveries from 2,000 returning customers through `storeGroup`
  // (groups of 32, another connection committing between them), three alternating pairs: 153 / 181
  // / 176 against 190 / 202 / 202 µs of CPU per delivery; from 40,000 new customers within the
  // noise (217 / 226 / 207 against 242 / 221 / 211). Intake holds the write lock throughout (an
  // IMMEDIATE transaction), so nobody adds the number in between.
  const contactByWaId = sqlite.prepare<[string], ContactRow>(
    `SELECT id, name, language, fields FROM contacts WHERE wa_id = ?`,
  );
  const insertContact = sqlite.prepare<[string, string, string | null]>(
    `INSERT INTO contacts (id, wa_id, name) VALUES (?, ?, ?)`,
  );
  const renameContact = sqlite.prepare<[string, string]>(`UPDATE contacts SET name = ? WHERE id = ?`);
  /** The customer's contact, added when new; a name WhatsApp sends replaces the one stored. */
  const contactFor = (waId: string, profileName: string | null): ContactRow => {
    const known = contactByWaId.get(waId);
    if (!known) {
      insertContact.run(timeOrderedId(), waId, profileName);
      // Read back for the columns' defaults (language, fields) rather than repeating them here.
      return contactByWaId.get(waId) as ContactRow;
    }
    if (profileName === null || profileName === known.name) return known;
    renameContact.run(profileName, known.id);
    return { ...known, name: profileName };
  };
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
    `INSERT INTO messages (id, wa_message_id, conversation_id, direction, type, text, payload, sent_at,
                           media_id, media_mime_type, media_sha256, media_filename, reply_to_wa_message_id)
     VALUES (?, ?, ?, 'inbound', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertOutbox = sqlite.prepare(
    `INSERT INTO outbox (conversation_id, shard, payload, created_at) VALUES (?, ?, ?, ?)`,
  );
  // A customer who changed number keeps their contact and conversations: the next message from the
  // new number continues the same thread, and replies go to it. Unless the new number is already
  // known (then the older record is left as it is rather than merged).
  const renumberContact = sqlite.prepare<{ oldWaId: string; newWaId: string }>(
    `UPDATE contacts SET wa_id = @newWaId
      WHERE wa_id = @oldWaId AND NOT EXISTS (SELECT 1 FROM contacts WHERE wa_id = @newWaId)`,
  );
  const renumberConversations = sqlite.prepare<{ oldWaId: string; newWaId: string }>(
    `UPDATE conversations SET customer_wa_id = @newWaId,
            contact_id = (SELECT id FROM contacts WHERE wa_id = @newWaId)
      WHERE customer_wa_id = @oldWaId
        AND NOT EXISTS (SELECT 1 FROM conversations other
                         WHERE other.business_number_id = conversations.business_number_id
                           AND other.customer_wa_id = @newWaId)`,
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

  interface MessageContext {
    numberId: string;
    versionId: string | null;
    profileName: string | null;
    receivedAt: number;
  }

  /** Stores one new message and queues its routed event. */
  const storeMessageRows = (message: WaInboundMessage, context: MessageContext): QueuedRow => {
    const contact = contactFor(message.from, context.profileName);
    const sentAt = Number(message.timestamp) * 1000;
    const { numberId } = context;
    const existing = findConversation.get(numberId, message.from);
    const conversationId = existing?.id ?? timeOrderedId();
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
    const media = inboundMessageMedia(message);
    insertMessage.run(
      timeOrderedId(),
      message.id,
      conversationId,
      messageType,
      text,
      JSON.stringify(message),
      sentAt,
      media?.id ?? null,
      media?.mime_type ?? null,
      media?.sha256 ?? null,
      media?.filename ?? null,
      message.context?.id ?? null,
    );

    const event: QueuedEvent = {
      type: 'message.received',
      conversationId,
      businessNumberId: numberId,
      customerWaId: message.from,
      workflowVersionId: context.versionId,
      occurredAt: sentAt,
      messageId: message.id,
      messageType,
      text: text === null ? null : text.slice(0, ROUTED_TEXT_LIMIT),
      isNewConversation,
      replyId: inboundMessageReplyId(message)?.slice(0, 256) ?? null,
      referralSourceId: message.referral?.source_id?.slice(0, 256) ?? null,
      facts: {
        tags: existing ? JSON.parse(existing.tags) : [],
        priority: existing?.priority ?? 'normal',
        openedAt: isNewConversation ? sentAt : (existing?.opened_at ?? sentAt),
        lastInboundAt: sentAt,
        assigneeAgentId: existing?.assignee_agent_id ?? null,
        teamId: existing?.team_id ?? null,
        contact: { name: contact.name, language: contact.language, fields: JSON.parse(contact.fields) },
      },
    };
    const shard = shardOf(conversationId, shardCount);
    const queued = insertOutbox.run(conversationId, shard, JSON.stringify(event), context.receivedAt);
    const newWaId = changedCustomerNumber(message);
    if (newWaId && newWaId !== message.from) {
      const numbers = { oldWaId: message.from, newWaId };
      renumberContact.run(numbers);
      renumberConversations.run(numbers);
    }
    return { seq: Number(queued.lastInsertRowid), shard, event };
  };
  // Alone, a delivery keeps each message and status in a savepoint of its own, so that one that
  // fails to store costs nothing else. In a group they are stored without: a failure rolls the
  // whole group back and the queue stores its deliveries one by one, each failure alone again.
  // A savepoint copies each page before its first change in it, and a group's messages change the
  // same few pages over and over. 40,000 deliveries stored in groups of 32, five alternating pairs:
  // 241–259 µs of CPU per delivery (mean 246) without savepoints in groups, 271–300 (mean 288) with
  // two per delivery (its own and its message's).
  const storeMessageInSavepoint = sqlite.transaction(storeMessageRows);
  const storeStatusInSavepoint = sqlite.transaction(applyStatus);

  /**
   * Within one group commit (`storeGroup`), each business number's row and published version are
   * looked up once, not once per delivery: nothing else writes between its deliveries, and a
   * delivery that throws rolls the whole group back (the queue then stores them one by one).
   */
  let versionsThisGroup: Map<string, string | null> | null = null;
  /**
   * The outbox rows of the group being stored (null outside a group). In a group: no savepoints,
   * and a message or status that fails to store fails the group.
   */
  let queuedThisGroup: QueuedRow[] | null = null;
  const versionOf = (numberId: string, displayNumber: string | null): string | null => {
    const known = versionsThisGroup?.get(numberId);
    if (known !== undefined) return known;
    insertNumber.run(numberId, displayNumber);
    const versionId = (publishedVersionFor.get(numberId) as string | null) ?? null;
    versionsThisGroup?.set(numberId, versionId);
    return versionId;
  };

  const storeDelivery = (
    rawBody: string,
    signature: string,
    payload: WaWebhookEnvelope,
    receivedAt: number,
  ): IngestOutcome => {
    const outcome: IngestOutcome = {
      newDelivery: false,
      messagesStored: 0,
      duplicateMessages: 0,
      eventsQueued: 0,
      rejected: 0,
    };
    const inGroup = queuedThisGroup !== null;
    const sha = createHash('sha256').update(rawBody).digest('hex');
    const delivery = insertDelivery.run(sha, rawBody, signature, receivedAt);
    if (delivery.changes === 0) return outcome;
    outcome.newDelivery = true;
    const eventId = delivery.lastInsertRowid;
    const notice = (kind: NoticeKind, field: string, numberId: string | null, detail: unknown) => {
      insertNotice.run(eventId, kind, field, numberId, JSON.stringify(detail), receivedAt);
    };
    const reject = (field: string, numberId: string | null, item: unknown, reason: string) => {
      notice('message_rejected', field, numberId, { reason, item });
      outcome.rejected++;
    };

    for (const entry of payload.entry) {
      for (const change of entry.changes) {
        if (change.field !== 'messages') {
          // Template status updates, quality and account notices: recorded, not routed.
          notice('other_field', change.field, null, change.value ?? null);
          continue;
        }
        const parsedValue = messagesValueSchema.safeParse(change.value);
        if (!parsedValue.success) {
          reject(change.field, null, change.value ?? null, describeIssue(parsedValue.error));
          continue;
        }
        const value = parsedValue.data;
        const numberId = value.metadata?.phone_number_id ?? null;
        if (value.errors) notice('value_errors', change.field, numberId, value.errors);
        if (!numberId) {
          if (value.messages || value.statuses)
            reject(change.field, null, value, 'metadata.phone_number_id is missing');
          continue;
        }

        for (const item of value.statuses ?? []) {
          const status = waStatusSchema.safeParse(item);
          if (!status.success) {
            reject('statuses', numberId, item, describeIssue(status.error));
            continue;
          }
          try {
            outcome.eventsQueued += inGroup ? applyStatus(status.data) : storeStatusInSavepoint(status.data);
          } catch (error) {
            if (inGroup) throw error;
            reject('statuses', numberId, item, `storing failed: ${(error as Error).message}`);
          }
        }
        if (!value.messages?.length) continue;

        const versionId = versionOf(numberId, value.metadata?.display_phone_number ?? null);
        const names = new Map(value.contacts?.map((contact) => [contact.wa_id, contact.profile?.name]));
        for (const item of value.messages) {
          const parsedMessage = waInboundMessageSchema.safeParse(item);
          if (!parsedMessage.success) {
            reject('messages', numberId, item, describeIssue(parsedMessage.error));
            continue;
          }
          const message = parsedMessage.data;
          if (messageExists.get(message.id)) {
            outcome.duplicateMessages++;
            continue;
          }
          const context = { numberId, versionId, profileName: names.get(message.from) ?? null, receivedAt };
          try {
            const queued = inGroup
              ? storeMessageRows(message, context)
              : storeMessageInSavepoint(message, context);
            queuedThisGroup?.push(queued);
            outcome.messagesStored++;
            outcome.eventsQueued++;
          } catch (error) {
            if (inGroup) throw error;
            reject('messages', numberId, item, `storing failed: ${(error as Error).message}`);
          }
        }
      }
    }
    return outcome;
  };
  const store = sqlite.transaction(storeDelivery);
  const storeGroup = sqlite.transaction((group: readonly StoredDelivery[]): GroupOutcome => {
    versionsThisGroup = new Map();
    const queued: QueuedRow[] = [];
    queuedThisGroup = queued;
    try {
      return {
        outcomes: group.map((d) => storeDelivery(d.rawBody, d.signature, d.payload, d.receivedAt)),
        queued,
      };
    } finally {
      versionsThisGroup = null;
      queuedThisGroup = null;
    }
  });
  return Object.assign(store, { storeGroup });
}

/** One delivery of a group commit. */
export interface StoredDelivery {
  rawBody: string;
  signature: string;
  payload: WaWebhookEnvelope;
  receivedAt: number;
}

export type WebhookIngest = ReturnType<typeof createWebhookIngest>;
