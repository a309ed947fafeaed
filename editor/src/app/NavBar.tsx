import { Link } from './Link';
import type { Route } from './routes';

export function NavBar({ route }: { route: Route }) {
  const sections: Partial<Record<Route['name'], string>> = {
    agent: 'agents',
    version: 'versions',
    versionDiff: 'versions',
    execution: 'executions',
    replayRun: 'replay',
  };
  const section = sections[route.name] ?? route.name;
  return (
    <header className="nav">
      <Link href="/" className="nav-brand">
        Switchboard
      </Link>
      <nav className="nav-links" aria-label="Main">
        <Link href="/workflows" aria-current={section === 'workflows' ? 'page' : undefined}>
          Workflows
        </Link>
        <Link href="/versions" aria-current={section === 'versions' ? 'page' : undefined}>
          Versions
        </Link>
        <Link href="/executions" aria-current={section === 'executions' ? 'page' : undefined}>
          Executions
        </Link>
        <Link href="/replay" aria-current={section === 'replay' ? 'page' : undefined}>
          Shadow replay
        </Link>
        <Link href="/agents" aria-current={section === 'agents' ? 'page' : undefined}>
          Agents
        </Link>
      </nav>
    </header>
  );
}
