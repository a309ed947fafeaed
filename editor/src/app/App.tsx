import { lazy, Suspense, useEffect } from 'react';
import { AgentsPage } from '../agents/AgentsPage';
import { AnalyticsPage } from '../analytics/AnalyticsPage';
import { SlaPoliciesPage } from '../analytics/SlaPoliciesPage';
import { LoginPage } from '../auth/LoginPage';
import { useSession } from '../auth/session';
import { ExecutionsPage } from '../executions/ExecutionsPage';
import { ExecutionTracePage } from '../executions/ExecutionTracePage';
import { AgentInbox } from '../inbox/AgentInbox';
import { InboxPage } from '../inbox/InboxPage';
import { onLiveMessage, startLiveFeed } from '../live/liveFeed';
import { useNotifications } from '../notifications/store';
import { ReplayPage } from '../replay/ReplayPage';
import { ReplayRunPage } from '../replay/ReplayRunPage';
import { SimulatorPage } from '../simulator/SimulatorPage';
import { TeamPage } from '../team/TeamPage';
import { UsersPage } from '../users/UsersPage';
import { DiffPage } from '../versions/DiffPage';
import { VersionsPage } from '../versions/VersionsPage';
import { VersionView } from '../versions/VersionView';
import { preloadDraft } from '../workflowEditor/draftApi';
import { WorkflowsPage } from '../workflows/WorkflowsPage';
import { NavBar } from './NavBar';
import { usePathname } from './router';
import { matchRoute, type Route } from './routes';

// The editor brings React Flow, dagre and the catalog's forms; agents opening their inbox need none of it.
const WorkflowEditorPage = lazy(() =>
  import('../workflowEditor/WorkflowEditorPage').then((m) => ({ default: m.WorkflowEditorPage })),
);

/**
 * Opened straight on the editor (a link, a reload), the draft is fetched while the session is still
 * being checked instead of after it (fetching the editor's code as well showed no gain in the
 * canvas benchmark). Signed out, the draft's refusal is not used (see takeDraft).
 */
export function preloadForPath(pathname: string): void {
  const route = matchRoute(pathname);
  if (route.name === 'workflowEditor') preloadDraft(route.workflowId);
}

export function App() {
  const route = matchRoute(usePathname());
  const sessionState = useSession((s) => s.state);
  const check = useSession((s) => s.check);
  useEffect(() => {
    void check();
  }, [check]);

  useEffect(() => {
    if (sessionState !== 'signedIn') return;
    void useNotifications.getState().load();
    const stopListening = onLiveMessage((message) => {
      if (message.type === 'notification') useNotifications.getState().received(message.notification);
    });
    const stopFeed = startLiveFeed(useSession.getState().lastSeq);
    return () => {
      stopListening();
      stopFeed();
    };
  }, [sessionState]);

  if (sessionState === 'checking') return <p className="muted page">Loading…</p>;
  if (sessionState === 'signedOut') return <LoginPage />;
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
    case 'simulator':
      return <SimulatorPage />;
    case 'analytics':
      return <AnalyticsPage />;
    case 'slaPolicies':
      return <SlaPoliciesPage />;
    case 'agent':
      // Keyed so switching agents starts a fresh inbox and socket rather than mixing two agents' lists.
      return <AgentInbox key={route.agentId} agentId={route.agentId} />;
    case 'versions':
      return <VersionsPage workflowId={route.workflowId} />;
    case 'version':
      return (
        <VersionView
          key={`${route.workflowId}/${route.number}`}
          workflowId={route.workflowId}
          number={route.number}
        />
      );
    case 'versionDiff':
      return <DiffPage workflowId={route.workflowId} from={route.from} to={route.to} />;
    case 'executions':
      return <ExecutionsPage />;
    case 'execution':
      return <ExecutionTracePage key={route.executionId} executionId={route.executionId} />;
    case 'replay':
      return <ReplayPage workflowId={route.workflowId} />;
    case 'replayRun':
      return <ReplayRunPage key={route.runId} runId={route.runId} />;
    case 'inbox':
      return <InboxPage conversationId={route.conversationId} />;
    case 'team':
      return <TeamPage />;
    case 'users':
      return <UsersPage />;
    case 'notFound':
      return (
        <section className="page">
          <h1>Page not found</h1>
          <p className="muted">There is nothing at this address.</p>
        </section>
      );
  }
}
