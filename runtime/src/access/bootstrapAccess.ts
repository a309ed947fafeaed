import type { Logger } from 'pino';
import type { AppDatabase } from '../db/database';
import type { Identities } from './identities';
import { hashPassword } from './secrets';

export const DEMO_PASSWORD = 'switchboard-demo';
export const DEMO_ADMIN = { id: 'user_admin', name: 'Alex Admin', email: 'admin@demo.switchboard' };
const DEMO_EMAIL_DOMAIN = '@demo.switchboard';

export interface AccessBootstrap {
  demo: boolean;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  adminApiToken: string | undefined;
}

/**
 * Makes sure someone can sign in. In demo mode every demo person (and a demo admin) gets the
 * documented demo password; outside it those passwords are removed, so a demo database promoted to
 * real use is not open to anyone who read the README. ADMIN_EMAIL/ADMIN_PASSWORD create the first
 * admin of a real installation; ADMIN_API_TOKEN registers a bearer token for that admin (scripts, tests).
 */
export async function bootstrapAccess(
  db: AppDatabase,
  identities: Identities,
  settings: AccessBootstrap,
  log: Logger,
  now: number,
): Promise<void> {
  const sqlite = db.$client;
  if (settings.demo) {
    sqlite
      .prepare(`INSERT INTO agents (id, name, email, role) VALUES (?, ?, ?, 'admin') ON CONFLICT DO NOTHING`)
      .run(DEMO_ADMIN.id, DEMO_ADMIN.name, DEMO_ADMIN.email);
    const demoHash = await hashPassword(DEMO_PASSWORD);
    sqlite
      .prepare(`UPDATE agents SET password_hash = ? WHERE email LIKE ? AND password_hash IS NULL`)
      .run(demoHash, `%${DEMO_EMAIL_DOMAIN}`);
  } else {
    const removed = sqlite
      .prepare(`UPDATE agents SET password_hash = NULL WHERE email LIKE ? AND password_hash IS NOT NULL`)
      .run(`%${DEMO_EMAIL_DOMAIN}`).changes;
    if (removed) log.warn({ removed }, 'DEMO is off: demo accounts can no longer sign in');
  }

  if (settings.adminEmail) {
    const email = settings.adminEmail.toLowerCase();
    let adminId = sqlite
      .prepare<[string], string>(`SELECT id FROM agents WHERE lower(email) = ?`)
      .pluck()
      .get(email);
    if (!adminId) {
      if (!settings.adminPassword)
        throw new Error('ADMIN_EMAIL is set for a new admin but ADMIN_PASSWORD is not');
      adminId = 'user_admin_bootstrap';
      sqlite
        .prepare(
          `INSERT INTO agents (id, name, email, role, password_hash) VALUES (?, 'Administrator', ?, 'admin', ?)`,
        )
        .run(adminId, email, await hashPassword(settings.adminPassword));
      log.info({ email }, 'created the first admin from ADMIN_EMAIL');
    }
    if (settings.adminApiToken) {
      identities.registerToken(
        {
          id: 'tok_bootstrap',
          name: 'ADMIN_API_TOKEN',
          secret: settings.adminApiToken,
          agentId: adminId,
          createdBy: null,
        },
        now,
      );
    }
  } else if (settings.adminApiToken) {
    throw new Error('ADMIN_API_TOKEN needs ADMIN_EMAIL (the admin the token acts as)');
  }
}
