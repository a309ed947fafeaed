import type { Logger } from 'pino';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';
import type { Mailer } from '../effects/mailer';
import { inQuietHours } from '../effects/notifications';

interface HeldRow {
  id: string;
  title: string;
  body: string;
  createdAt: number;
}

/**
 * Sends held e-mail notifications as one digest per person: when their digest interval has passed
 * since the last one (or, without a digest preference, as soon as their quiet hours end).
 */
export function createDigestSender(db: AppDatabase, mailer: Mailer | null, log: Logger) {
  const sqlite = db.$client;
  const waiting = sqlite.prepare<
    [],
    { agentId: string; email: string; timeZone: string; preferences: string; lastDigestAt: number | null }
  >(
    `SELECT DISTINCT a.id AS agentId, a.email, a.time_zone AS timeZone, a.notification_preferences AS preferences,
            a.last_digest_at AS lastDigestAt
       FROM notifications n JOIN agents a ON a.id = n.agent_id
      WHERE n.channel = 'email' AND n.held_at IS NOT NULL AND n.delivered_at IS NULL`,
  );
  const held = sqlite.prepare<[string], HeldRow>(
    `SELECT id, title, body, created_at AS createdAt FROM notifications
      WHERE agent_id = ? AND channel = 'email' AND held_at IS NOT NULL AND delivered_at IS NULL ORDER BY created_at`,
  );
  const markSent = sqlite.prepare(`UPDATE notifications SET delivered_at = ? WHERE id = ?`);
  const markDigest = sqlite.prepare(`UPDATE agents SET last_digest_at = ? WHERE id = ?`);

  const markDigestSent = sqlite.transaction((items: { id: string }[], agentId: string, now: number) => {
    for (const item of items) markSent.run(now, item.id);
    markDigest.run(now, agentId);
  });

  return async function sendDueDigests(now: number): Promise<number> {
    let sent = 0;
    for (const person of waiting.all()) {
      const preferences = JSON.parse(person.preferences);
      if (inQuietHours(preferences.quietHours, person.timeZone, now)) continue;
      const every = preferences.digestEveryMinutes as number | null;
      if (every !== null && person.lastDigestAt !== null && person.lastDigestAt + every * 60_000 > now)
        continue;
      const items = held.all(person.agentId);
      if (items.length === 0) continue;
      if (!mailer) {
        log.warn({ agentId: person.agentId, items: items.length }, 'digest not sent: SMTP_URL is not set');
        continue;
      }
      await mailer.send({
        to: person.email,
        subject: `Switchboard: ${items.length} pending notification${items.length === 1 ? '' : 's'}`,
        text: items.map((item) => `• ${item.title}\n  ${item.body}`).join('\n\n'),
      });
      await writeWhenFree(sqlite, () => markDigestSent.immediate(items, person.agentId, now));
      sent++;
    }
    return sent;
  };
}
