import type { Role } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';
import { writeIfFree, writeWhenFree } from '../db/writeLock';
import { newSecret, secretHash } from './secrets';

/** Who is making a request, and through what. */
export interface Actor {
  agentId: string;
  name: string;
  role: Role;
  /** 'session' for a browser, `token:<id>` for an integration. */
  via: string;
  /** Set for browser sessions: mutations must echo it (double-submit). */
  csrfToken: string | null;
}

interface ActorRow {
  agentId: string;
  name: string;
  role: Role;
}

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Sessions, API tokens and the people they stand for. */
export function createIdentities(db: AppDatabase) {
  const sqlite = db.$client;
  const bySession = sqlite.prepare<[string, number], ActorRow & { csrfToken: string }>(
    `SELECT a.id AS agentId, a.name, a.role, s.csrf_token AS csrfToken FROM sessions s
       JOIN agents a ON a.id = s.agent_id
      WHERE s.token_hash = ? AND s.expires_at > ? AND a.deactivated_at IS NULL`,
  );
  const byToken = sqlite.prepare<[string], ActorRow & { tokenId: string }>(
    `SELECT a.id AS agentId, a.name, a.role, t.id AS tokenId FROM api_tokens t
       JOIN agents a ON a.id = t.agent_id
      WHERE t.token_hash = ? AND t.revoked_at IS NULL AND a.deactivated_at IS NULL`,
  );
  const touchToken = sqlite.prepare(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`);
  const insertSession = sqlite.prepare(
    `INSERT INTO sessions (token_hash, agent_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
  );
  const deleteSession = sqlite.prepare(`DELETE FROM sessions WHERE token_hash = ?`);
  const deleteExpired = sqlite.prepare(`DELETE FROM sessions WHERE expires_at <= ?`);
  const startSession = sqlite.transaction(
    (tokenHash: string, agentId: string, csrfToken: string, now: number) => {
      deleteExpired.run(now);
      insertSession.run(tokenHash, agentId, csrfToken, now, now + SESSION_TTL_MS);
    },
  );
  const insertToken = sqlite.prepare(
    `INSERT INTO api_tokens (id, name, token_hash, agent_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (token_hash) DO NOTHING`,
  );

  return {
    fromSession(sessionToken: string, now: number): Actor | null {
      const row = bySession.get(secretHash(sessionToken), now);
      return row ? { ...row, via: 'session' } : null;
    },

    fromBearer(token: string, now: number): Actor | null {
      const row = byToken.get(secretHash(token));
      if (!row) return null;
      // Last use is a hint for whoever reviews the tokens: while the router worker holds the write
      // lock it is left for the token's next request rather than keep this one (and the event loop) waiting.
      writeIfFree(sqlite, () => touchToken.run(now, row.tokenId));
      return {
        agentId: row.agentId,
        name: row.name,
        role: row.role,
        via: `token:${row.tokenId}`,
        csrfToken: null,
      };
    },

    /** Waits for the write lock with the event loop free (see writeWhenFree), as endSession does. */
    async startSession(agentId: string, now: number): Promise<{ sessionToken: string; csrfToken: string }> {
      const sessionToken = newSecret();
      const csrfToken = newSecret();
      await writeWhenFree(sqlite, () =>
        startSession.immediate(secretHash(sessionToken), agentId, csrfToken, now),
      );
      return { sessionToken, csrfToken };
    },

    async endSession(sessionToken: string): Promise<void> {
      await writeWhenFree(sqlite, () => deleteSession.run(secretHash(sessionToken)));
    },

    /** Registers a token whose plaintext the caller already holds (start-up bootstrap); idempotent. */
    registerToken(
      token: { id: string; name: string; secret: string; agentId: string; createdBy: string | null },
      now: number,
    ): void {
      insertToken.run(token.id, token.name, secretHash(token.secret), token.agentId, token.createdBy, now);
    },
  };
}

export type Identities = ReturnType<typeof createIdentities>;
