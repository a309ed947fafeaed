import { createHash } from 'node:crypto';
import type { NotificationPreferences, NotifyRecipient } from '@switchboard/shared';
import type { Logger } from 'pino';
import { weekTimeIn } from '../assignment/shifts';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';
import type { LivePublisher } from '../live/liveHub';
import type { Mailer } from './mailer';

export interface NotificationRequest {
  /** Effect key: with the recipient and channel it identifies a delivery, so a retry never repeats one. */
  key: string;
  conversationId: string;
  to: NotifyRecipient;
  channels: Array<'in_app' | 'email' | 'slack'>;
  title: string;
  body: string;
  slackWebhookUrl: string | null;
  /** Why the recipients hear of it; unset, derived: the assignee's own conversation is 'mine'. */
  reason?: NotificationReason;
}

export type NotificationReason = 'mine' | 'mention' | 'other';

interface RecipientPreferences {
  preferences: NotificationPreferences;
  timeZone: string;
}

/** Whether the agent's wall clock is inside their quiet hours (a window may run past midnight). */
export function inQuietHours(
  quietHours: NotificationPreferences['quietHours'],
  timeZone: string,
  now: number,
): boolean {
  if (!quietHours) return false;
  const { minutes } = weekTimeIn(timeZone, now);
  const [start, end] = [quietHours.start, quietHours.end].map((time) => {
    const [hours, mins] = time.split(':').map(Number);
    return (hours as number) * 60 + (mins as number);
  }) as [number, number];
  return start <= end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/**
 * Resolves recipients and delivers: in-app (stored, pushed live), e-mail over SMTP, and
 * Slack-compatible incoming webhooks. Without SMTP settings an e-mail is stored undelivered and
 * the log says why.
 */
export function createNotifier(db: AppDatabase, live: LivePublisher, mailer: Mailer | null, log: Logger) {
  const sqlite = db.$client;
  const assignee = sqlite
    .prepare<[string], string | null>(`SELECT assignee_agent_id FROM conversations WHERE id = ?`)
    .pluck();
  const conversationTeam = sqlite
    .prepare<[string], string | null>(`SELECT team_id FROM conversations WHERE id = ?`)
    .pluck();
  const teamMembers = sqlite
    .prepare<[string], string>(`SELECT agent_id FROM team_members WHERE team_id = ?`)
    .pluck();
  const teamLead = sqlite
    .prepare<[string], string | null>(`SELECT lead_agent_id FROM teams WHERE id = ?`)
    .pluck();
  const byRole = sqlite.prepare<[string], string>(`SELECT id FROM agents WHERE role = ?`).pluck();
  const exists = sqlite.prepare<[string], number>(`SELECT 1 FROM agents WHERE id = ?`).pluck();
  const emailOf = sqlite.prepare<[string], string>(`SELECT email FROM agents WHERE id = ?`).pluck();
  const insert = sqlite.prepare(
    `INSERT INTO notifications (id, agent_id, conversation_id, title, body, channel, reason, held_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  );
  const preferencesOf = sqlite.prepare<[string], { preferences: string; timeZone: string }>(
    `SELECT notification_preferences AS preferences, time_zone AS timeZone FROM agents WHERE id = ?`,
  );
  const recipientPreferences = (agentId: string): RecipientPreferences => {
    const row = preferencesOf.get(agentId);
    return {
      preferences: row
        ? JSON.parse(row.preferences)
        : { onlyMineAndMentions: false, quietHours: null, digestEveryMinutes: null },
      timeZone: row?.timeZone ?? 'UTC',
    };
  };
  const reasonFor = (agentId: string, request: NotificationRequest): NotificationReason => {
    if (request.reason) return request.reason;
    if (request.to.kind === 'assignee') return 'mine';
    return assignee.get(request.conversationId) === agentId ? 'mine' : 'other';
  };
  const delivered = sqlite
    .prepare<[string], number | null>(`SELECT delivered_at FROM notifications WHERE id = ?`)
    .pluck();
  const markDelivered = sqlite.prepare(`UPDATE notifications SET delivered_at = ? WHERE id = ?`);

  function recipients(conversationId: string, to: NotifyRecipient): string[] {
    switch (to.kind) {
      case 'assignee': {
        const id = assignee.get(conversationId);
        return id ? [id] : [];
      }
      case 'team':
        return teamMembers.all(to.teamId);
      case 'teamLead': {
        const teamId = to.teamId ?? conversationTeam.get(conversationId);
        const lead = teamId ? teamLead.get(teamId) : null;
        return lead ? [lead] : [];
      }
      case 'role':
        return byRole.all(to.role);
      case 'agents':
        return to.agentIds.filter((id) => exists.get(id));
    }
  }

  /**
   * Stores what `request` sends, inside the caller's write transaction, and returns what is still to
   * go out. The recipient's preferences decide: nothing at all for broadcasts when they want only
   * their own conversations and mentions; during quiet hours in-app is stored without a live push
   * and e-mail waits; with a digest interval e-mail waits for the digest (digest.ts sends held items).
   * A delivery already made (the same key, recipient and channel) is not made again.
   */
  function record(request: NotificationRequest, now: number): PendingDelivery[] {
    return recordFor(recipientsOf(request), request, now);
  }

  const recipientsOf = (request: NotificationRequest) => [
    ...new Set(recipients(request.conversationId, request.to)),
  ];

  function recordFor(agentIds: string[], request: NotificationRequest, now: number): PendingDelivery[] {
    const pending: PendingDelivery[] = [];
    for (const channel of request.channels) {
      if (channel === 'slack') {
        if (request.slackWebhookUrl) pending.push({ channel, request, url: request.slackWebhookUrl });
        continue;
      }
      for (const agentId of agentIds) {
        const id = createHash('sha256')
          .update(`${request.key}|${agentId}|${channel}`)
          .digest('hex')
          .slice(0, 32);
        const { preferences, timeZone } = recipientPreferences(agentId);
        const reason = reasonFor(agentId, request);
        if (preferences.onlyMineAndMentions && reason === 'other') continue;
        const quiet = inQuietHours(preferences.quietHours, timeZone, now);
        const held = channel === 'email' && (quiet || preferences.digestEveryMinutes !== null);
        insert.run(
          id,
          agentId,
          request.conversationId,
          request.title,
          request.body,
          channel,
          reason,
          held ? now : null,
          now,
        );
        if (delivered.get(id) || held) continue;
        pending.push({ channel, request, id, agentId, quiet });
      }
    }
    return pending;
  }

  /** Pushes, mails and posts what `record` stored, marking each delivery made. */
  async function send(pending: readonly PendingDelivery[], now: number): Promise<void> {
    for (const delivery of pending) {
      const { request } = delivery;
      if (delivery.channel === 'slack') {
        await postToSlack(delivery.url, `*${request.title}*\n${request.body}`);
        continue;
      }
      const { id, agentId } = delivery;
      if (delivery.channel === 'in_app') {
        if (!delivery.quiet) {
          const notification = {
            id,
            conversationId: request.conversationId,
            title: request.title,
            body: request.body,
            createdAt: now,
          };
          live.publish(agentId, { type: 'notification', notification });
        }
      } else if (mailer) {
        await mailer.send({ to: emailOf.get(agentId) as string, subject: request.title, text: request.body });
      } else {
        log.warn({ conversationId: request.conversationId, agentId }, 'e-mail not sent: SMTP_URL is not set');
        continue;
      }
      // Waits for the lock with the event loop free (see writeWhenFree): the runtime and the router
      // worker notify, each while the other may be committing.
      await writeWhenFree(sqlite, () => markDelivered.run(now, id));
    }
  }

  const recordAlone = sqlite.transaction((request: NotificationRequest, now: number) => {
    const agentIds = recipientsOf(request);
    return { agentIds, pending: recordFor(agentIds, request, now) };
  });

  /** Stores a notification in a transaction of its own, then sends it; returns whom it was for. */
  async function notify(request: NotificationRequest, now: number): Promise<string[]> {
    const { agentIds, pending } = await writeWhenFree(sqlite, () => recordAlone.immediate(request, now));
    await send(pending, now);
    return agentIds;
  }

  return Object.assign(notify, {
    /** For a caller that stores notifications in its own transaction, with what caused them. */
    record,
    send,
  });
}

/** What a stored notification still needs after the commit: a push, an e-mail or a Slack post. */
type PendingDelivery =
  | { channel: 'slack'; request: NotificationRequest; url: string }
  | {
      channel: 'in_app' | 'email';
      request: NotificationRequest;
      id: string;
      agentId: string;
      quiet: boolean;
    };

async function postToSlack(url: string, text: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`Slack webhook answered ${response.status}`);
}

export type Notifier = ReturnType<typeof createNotifier>;
