import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { errorMessage, getJson, sendJson } from '../api';
import { formatDateTime } from '../format';

type User = {
  id: string;
  name: string;
  email: string;
  role: 'agent' | 'manager' | 'admin';
  hasPassword: boolean;
  active: boolean;
};
type Token = {
  id: string;
  name: string;
  agentId: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
  createdAt: number;
};
type AuditEntry = {
  id: number;
  actorAgentId: string | null;
  via: string;
  method: string;
  route: string;
  statusCode: number;
  at: number;
  body: string | null;
};

/** Admins: people and roles, integration tokens, and the audit log. */
export function UsersPage() {
  const [users, setUsers] = useState<User[]>([]);
  const [tokens, setTokens] = useState<Token[]>([]);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [newToken, setNewToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setUsers((await getJson<{ users: User[] }>('/api/users')).users);
      setTokens((await getJson<{ tokens: Token[] }>('/api/tokens')).tokens);
      setAudit((await getJson<{ entries: AuditEntry[] }>('/api/audit?limit=50')).entries);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);

  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setError(null);
      await reload();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  const formValues = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    event.currentTarget.reset();
    return values;
  };

  return (
    <section className="page">
      <h1>Users</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="users-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>E-mail</th>
            <th>Role</th>
            <th>Access</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <td>{user.name}</td>
              <td>{user.email}</td>
              <td>
                <select
                  value={user.role}
                  onChange={(event) =>
                    run(() => sendJson('PATCH', `/api/users/${user.id}`, { role: event.target.value }))
                  }
                >
                  <option value="agent">agent</option>
                  <option value="manager">manager</option>
                  <option value="admin">admin</option>
                </select>
              </td>
              <td>
                {user.active ? (user.hasPassword ? 'can sign in' : 'no password') : 'deactivated'}{' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() =>
                    run(() => sendJson('PATCH', `/api/users/${user.id}`, { active: !user.active }))
                  }
                >
                  {user.active ? 'Deactivate' : 'Reactivate'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="inline-form"
        onSubmit={(event) => {
          const v = formValues(event);
          void run(() => sendJson('POST', '/api/users', v));
        }}
      >
        <input name="name" placeholder="Name" aria-label="Name" required />
        <input name="email" type="email" placeholder="E-mail" aria-label="E-mail" required />
        <select name="role" aria-label="Role" defaultValue="agent">
          <option value="agent">agent</option>
          <option value="manager">manager</option>
          <option value="admin">admin</option>
        </select>
        <input
          name="password"
          type="password"
          placeholder="Password (10+ characters)"
          aria-label="Password"
          minLength={10}
          required
        />
        <button type="submit">Add user</button>
      </form>

      <h2>API tokens</h2>
      {newToken && (
        <p className="notice" data-testid="new-token">
          Copy this token now; it is not shown again: <code>{newToken}</code>
        </p>
      )}
      <ul>
        {tokens.map((token) => (
          <li key={token.id}>
            {token.name} — acts as {token.agentId}
            {token.lastUsedAt ? `, last used ${formatDateTime(token.lastUsedAt)}` : ''}
            {token.revokedAt ? (
              ' (revoked)'
            ) : (
              <button
                type="button"
                className="link-button"
                onClick={() => run(() => sendJson('DELETE', `/api/tokens/${token.id}`))}
              >
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        className="inline-form"
        onSubmit={(event) => {
          const v = formValues(event);
          void run(async () =>
            setNewToken((await sendJson<{ token: string }>('POST', '/api/tokens', v)).token),
          );
        }}
      >
        <input name="name" placeholder="Token name (what uses it)" aria-label="Token name" required />
        <select name="agentId" aria-label="Acts as">
          {users.map((user) => (
            <option key={user.id} value={user.id}>
              {user.name} ({user.role})
            </option>
          ))}
        </select>
        <button type="submit">Create token</button>
      </form>

      <h2>Audit log</h2>
      <ol className="audit-log">
        {audit.map((entry) => (
          <li key={entry.id}>
            <time className="muted">{formatDateTime(entry.at)}</time> {entry.actorAgentId ?? 'anonymous'} (
            {entry.via}) {entry.method} <code>{entry.route}</code> → {entry.statusCode}
          </li>
        ))}
      </ol>
    </section>
  );
}
