import type { OutboundMessage } from '@switchboard/shared';
import type { AppDatabase } from '../../db/database';
import { timeOrderedId } from '../../db/timeOrderedId';
import { writeWhenFree } from '../../db/writeLock';
import { type CloudApiClient, type CloudApiSettings, createCloudApiClient } from './cloudApiClient';
import { classifyCloudApiError, type SendFailure } from './cloudApiErrors';
import { customerServiceWindow } from './customerServiceWindow';
import { createSendPacing, type PacingLimits } from './sendPacing';

export interface OutboundSenderOptions {
  settings: CloudApiSettings;
  pacing: PacingLimits;
  /** Sends again after a rate-limit answer at most this many times. */
  rateLimitRetries: number;
  /** First backoff after a rate limit; doubles each retry, with jitter. */
  backoffBaseMs: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
  /** Called once a sent message is stored, with its `wamid`: statuses that overtook it apply now. */
  onStored?: (waMessageId: string) => void;
}

export interface OutboundRequest {
  conversationId: string;
  message: OutboundMessage;
  /** Free-form messages need the window; Meta lets only templates through outside it. */
  requiresOpenWindow?: boolean;
  /** What the inbox shows for it, when not the message's own text (a template's rendered body). */
  displayText?: string | null;
  authorAgentId?: string | null;
  /** The instant the window is judged at; the sender's clock when left out. */
  now?: number;
}

export interface StoredOutboundMessage {
  id: string;
  waMessageId: string;
  conversationId: string;
  direction: 'outbound';
  type: OutboundMessage['type'];
  text: string | null;
  payload: Record<string, unknown>;
  sentAt: number;
  status: 'sent';
  authorAgentId: string | null;
}

export type SendOutcome =
  | { sent: true; message: StoredOutboundMessage }
  | { sent: false; failure: SendFailure };

type Posted = { waMessageId: string } | { failure: SendFailure };

/** A transient outage (5xx, network): whoever owns the request retries it later. */
export class CloudApiUnavailableError extends Error {}

interface ConversationRow {
  business_number_id: string;
  customer_wa_id: string;
  last_inbound_at: number | null;
}

/**
 * Every message Switchboard sends goes through here, from workflows and from agents alike, so that
 * each one is paced, stored with the `wamid` Meta returned (which delivery statuses find it by),
 * and refused the same way outside the 24-hour window.
 */
export function createOutboundSender(db: AppDatabase, options: OutboundSenderOptions) {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const api: CloudApiClient = createCloudApiClient(options.settings, options.fetch);
  const pace = createSendPacing(db, options.pacing);
  const sqlite = db.$client;
  const conversation = sqlite.prepare<[string], ConversationRow>(
    `SELECT business_number_id, customer_wa_id, last_inbound_at FROM conversations WHERE id = ?`,
  );
  const insertMessage = sqlite.prepare(
    `INSERT INTO messages (id, wa_message_id, conversation_id, direction, type, text, payload, sent_at, status, status_at, author_agent_id)
     VALUES (?, ?, ?, 'outbound', ?, ?, ?, ?, 'sent', ?, ?)`,
  );

  const refuse = (
    kind: SendFailure['kind'],
    message: string,
    retryAfterMs: number | null = null,
  ): SendOutcome => ({
    sent: false,
    failure: ownFailure(kind, message, retryAfterMs),
  });

  /** Full jitter over an exponential step, so that senders hit by one limit do not retry in step. */
  const backoffMs = (retry: number) => {
    const ceiling = options.backoffBaseMs * 2 ** retry;
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  };

  /** The refusals Switchboard decides on its own, before asking Meta. */
  function refusalBeforeSending(
    row: ConversationRow | undefined,
    request: OutboundRequest,
  ): SendOutcome | null {
    if (!row) return refuse('unknown_conversation', `conversation ${request.conversationId} does not exist`);
    const requiresOpenWindow = request.requiresOpenWindow ?? request.message.type !== 'template';
    const window = customerServiceWindow(row.last_inbound_at, request.now ?? clock());
    if (requiresOpenWindow && !window.open) {
      const since =
        window.closesAt === null
          ? 'the customer has never written'
          : `it closed at ${new Date(window.closesAt).toISOString()}`;
      return refuse(
        'outside_window',
        `outside the 24-hour customer-service window (${since}): send an approved template instead`,
      );
    }
    if (!options.settings.accessToken) return refuse('not_configured', NOT_CONFIGURED);
    return null;
  }

  /** Paced posts; rate limits are retried with backoff, at most `rateLimitRetries` times. */
  async function post(row: ConversationRow, body: Record<string, unknown>): Promise<Posted> {
    let failure: SendFailure | null = null;
    for (let attempt = 0; attempt <= options.rateLimitRetries; attempt++) {
      if (attempt > 0) await sleep(backoffMs(attempt - 1));
      const slot = await pace(row.business_number_id, row.customer_wa_id, clock());
      if (!slot.granted) {
        const message = `sending now would exceed the pacing limits; try again in ${slot.retryAfterMs} ms`;
        return { failure: ownFailure('paced', message, slot.retryAfterMs) };
      }
      if (slot.waitMs > 0) await sleep(slot.waitMs);
      const reply = await api.sendMessage(row.business_number_id, body);
      if (reply.ok) return { waMessageId: reply.value };
      const classified = classifyCloudApiError(reply.httpStatus, reply.error);
      if (classified.retry === 'later') throw new CloudApiUnavailableError(classified.failure.message);
      failure = classified.failure;
      if (classified.retry === 'never') return { failure };
    }
    const limited = failure as SendFailure;
    return {
      failure: {
        ...limited,
        message: `${limited.message}; still limited after ${options.rateLimitRetries} retries with backoff`,
        retryAfterMs: options.backoffBaseMs * 2 ** options.rateLimitRetries,
      },
    };
  }

  async function send(request: OutboundRequest): Promise<SendOutcome> {
    const row = conversation.get(request.conversationId);
    const refusal = refusalBeforeSending(row, request);
    if (refusal || !row) return refusal as SendOutcome;
    const body = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: row.customer_wa_id,
      ...request.message,
    };
    const posted = await post(row, body);
    if ('failure' in posted) return { sent: false, failure: posted.failure };
    return { sent: true, message: await store(request, posted.waMessageId, body) };
  }

  async function store(
    request: OutboundRequest,
    waMessageId: string,
    body: Record<string, unknown>,
  ): Promise<StoredOutboundMessage> {
    const message: StoredOutboundMessage = {
      id: timeOrderedId(),
      waMessageId,
      conversationId: request.conversationId,
      direction: 'outbound',
      type: request.message.type,
      text: request.displayText ?? textOf(request.message),
      payload: body,
      // Meta accepted it now: the 'sent' status a webhook brings later keeps this instant or a later one.
      sentAt: clock(),
      status: 'sent',
      authorAgentId: request.authorAgentId ?? null,
    };
    // Sent: the row is written once the lock is free, with the event loop free meanwhile (see writeWhenFree).
    await writeWhenFree(sqlite, () =>
      insertMessage.run(
        message.id,
        waMessageId,
        message.conversationId,
        message.type,
        message.text,
        JSON.stringify(body),
        message.sentAt,
        message.sentAt,
        message.authorAgentId,
      ),
    );
    options.onStored?.(waMessageId);
    return message;
  }

  /** Tells Meta (and so the customer's blue ticks) that we read their message. */
  async function markRead(
    conversationId: string,
    waMessageId: string,
  ): Promise<{ ok: true } | { ok: false; failure: SendFailure }> {
    const row = conversation.get(conversationId);
    if (!row) {
      return {
        ok: false,
        failure: ownFailure('unknown_conversation', `conversation ${conversationId} does not exist`),
      };
    }
    if (!options.settings.accessToken)
      return { ok: false, failure: ownFailure('not_configured', NOT_CONFIGURED) };
    const reply = await api.markRead(row.business_number_id, waMessageId);
    if (reply.ok) return { ok: true };
    const classified = classifyCloudApiError(reply.httpStatus, reply.error);
    if (classified.retry === 'later') throw new CloudApiUnavailableError(classified.failure.message);
    return { ok: false, failure: classified.failure };
  }

  return { send, markRead, api };
}

export type OutboundSender = ReturnType<typeof createOutboundSender>;

const NOT_CONFIGURED = 'WhatsApp sending is not configured: WHATSAPP_ACCESS_TOKEN is empty';

/** A refusal Switchboard decides on its own, before or instead of asking Meta. */
function ownFailure(
  kind: SendFailure['kind'],
  message: string,
  retryAfterMs: number | null = null,
): SendFailure {
  return { kind, code: null, message, parameter: null, retryAfterMs };
}

function textOf(message: OutboundMessage): string | null {
  switch (message.type) {
    case 'text':
      return message.text.body;
    case 'interactive':
      return message.interactive.body.text;
    case 'reaction':
      return message.reaction.emoji;
    case 'template':
      return null;
  }
}
