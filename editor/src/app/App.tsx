import { lazy, Suspense } from 'react';
import { AgentsPage } from '../agents/AgentsPage';
import { AgentInbox } from '../inbox/AgentInbox';
import { preloadDraft } from '../workflowEditor/draftApi';
import { WorkflowsPage } from '../workflows/WorkflowsPage';
import { NavBar } from './NavBar';
import { usePathname } from './router';
import { matchRoute, type Route } from './routes';

// The editor brings React Flow, dagre and the catalog's forms; agents opening their inbox need none of it.
const WorkflowEditorPage = lazy(() =>
  import('../workflowEditor/WorkflowEditorPage').then((m) => ({ default: m.WorkflowEditorPage })),
);

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
    case 'workflowEditor':
      preloadDraft(route.workflowId);
      return (
        <Suspense fallback={<p className="muted page">Loading the editor…</p>}>
          <WorkflowEditorPage key={route.workflowId} workflowId={route.workflowId} />
        </Suspense>
      );
    case 'agents':
      return <AgentsPage />;
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
