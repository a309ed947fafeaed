import { randomUUID } from 'node:crypto';
import type { NotifyRecipient } from '@switchboard/shared';
import type { Logger } from 'pino';
import type { AppDatabase } from '../db/database';
import type { LiveHub } from '../live/liveHub';

export interface NotificationRequest {
  conversationId: string;
  to: NotifyRecipient;
  channels: Array<'in_app' | 'email' | 'slack'>;
  title: string;
  body: string;
  slackWebhookUrl: string | null;
}

/**
 * Resolves recipients and delivers: in-app (stored, pushed live), Slack-compatible incoming
 * webhooks. E-mail needs SMTP settings; until they exist the notification is stored for the
 * in-app list and the log says why it was not mailed.
 */
export function createNotifier(db: AppDatabase, live: LiveHub, log: Logger) {
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
  const insert = sqlite.prepare(
    `INSERT INTO notifications (id, agent_id, conversation_id, title, body, channel, delivered_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );

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

  return async function notify(request: NotificationRequest, now: number): Promise<string[]> {
    const agentIds = [...new Set(recipients(request.conversationId, request.to))];
    for (const channel of request.channels) {
      if (channel === 'slack') {
        if (request.slackWebhookUrl)
          await postToSlack(request.slackWebhookUrl, `*${request.title}*\n${request.body}`);
        continue;
      }
      if (channel === 'email')
        log.warn(
          { conversationId: request.conversationId },
          'e-mail notification skipped: SMTP is not configured',
        );
      for (const agentId of agentIds) {
        const id = randomUUID();
        insert.run(
          id,
          agentId,
          request.conversationId,
          request.title,
          request.body,
          channel,
          channel === 'in_app' ? now : null,
          now,
        );
        if (channel === 'in_app') {
          live.publish(agentId, {
            type: 'notification',
            notification: {
              id,
              conversationId: request.conversationId,
              title: request.title,
              body: request.body,
              createdAt: now,
            },
          });
        }
      }
    }
    return agentIds;
  };
}

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
