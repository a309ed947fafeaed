import { AgentsPage } from '../agents/AgentsPage';
import { AnalyticsPage } from '../analytics/AnalyticsPage';
import { AgentInbox } from '../inbox/AgentInbox';
import { WorkflowsPage } from '../workflows/WorkflowsPage';
import { NavBar } from './NavBar';
import { usePathname } from './router';
import { matchRoute, type Route } from './routes';

export function App() {
  const route = matchRoute(usePathname());
  return (
    <div className="app">
      <NavBar route={route} />
      <main className="app-main">
        <Page route={route} />
      </main>
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'workflows':
      return <WorkflowsPage />;
    case 'agents':
      return <AgentsPage />;
    case 'analytics':
      return <AnalyticsPage />;
    case 'agent':
      // Keyed so switching agents starts a fresh inbox and socket rather than mixing two agents' lists.
      return <AgentInbox key={route.agentId} agentId={route.agentId} />;
    case 'notFound':
      return (
        <section className="page">
          <h1>Page not found</h1>
          <p className="muted">There is nothing at this address.</p>
        </section>
      );
  }
}
