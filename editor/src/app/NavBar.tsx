import { hasRole, useSession } from '../auth/session';
import { NotificationBell } from '../notifications/NotificationBell';
import { Link } from './Link';
import type { Route } from './routes';

export function NavBar({ route }: { route: Route }) {
  const user = useSession((s) => s.user);
  const signOut = useSession((s) => s.signOut);
  const sections: Partial<Record<Route['name'], string>> = {
    agent: 'agents',
    version: 'versions',
    versionDiff: 'versions',
    execution: 'executions',
    replayRun: 'replay',
    workflowEditor: 'workflows',
  };
  const section = sections[route.name] ?? route.name;
  const current = (name: string) => (section === name ? 'page' : undefined);
  return (
    <header className="nav">
      <Link href="/" className="nav-brand">
        Switchboard
      </Link>
      <nav className="nav-links" aria-label="Main">
        <Link href="/inbox" aria-current={current('inbox')}>
          Inbox
        </Link>
        <Link href="/workflows" aria-current={current('workflows')}>
          Workflows
        </Link>
        <Link href="/versions" aria-current={current('versions')}>
          Versions
        </Link>
        <Link href="/executions" aria-current={current('executions')}>
          Executions
        </Link>
        <Link href="/replay" aria-current={current('replay')}>
          Shadow replay
        </Link>
        <Link href="/agents" aria-current={current('agents')}>
          Agents
        </Link>
        <Link href="/analytics" aria-current={current('analytics')}>
          Analytics
        </Link>
        {hasRole(user, 'manager') && (
          <Link href="/analytics/sla" aria-current={current('slaPolicies')}>
            SLA policies
          </Link>
        )}
        <Link href="/team" aria-current={current('team')}>
          Team
        </Link>
        <Link href="/simulator" aria-current={current('simulator')}>
          Customer simulator
        </Link>
        {hasRole(user, 'admin') && (
          <Link href="/users" aria-current={current('users')}>
            Users
          </Link>
        )}
      </nav>
      {user && (
        <div className="nav-user">
          <NotificationBell />
          <span data-testid="signed-in-as">
            {user.name} <span className="muted">({user.role})</span>
          </span>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      )}
    </header>
  );
}
