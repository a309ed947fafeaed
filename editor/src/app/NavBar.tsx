import { Link } from './Link';
import type { Route } from './routes';

export function NavBar({ route }: { route: Route }) {
  const section = route.name === 'agents' || route.name === 'agent' ? 'agents' : route.name;
  return (
    <header className="nav">
      <Link href="/" className="nav-brand">
        Switchboard
      </Link>
      <nav className="nav-links" aria-label="Main">
        <Link href="/workflows" aria-current={section === 'workflows' ? 'page' : undefined}>
          Workflows
        </Link>
        <Link href="/agents" aria-current={section === 'agents' ? 'page' : undefined}>
          Agents
        </Link>
        <Link href="/analytics" aria-current={section === 'analytics' ? 'page' : undefined}>
          Analytics
        </Link>
      </nav>
    </header>
  );
}
