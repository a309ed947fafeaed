import { useEffect } from 'react';
import { useAgentsStore } from '../agents/store';
import { Link } from '../app/Link';
import { AssignmentItem } from './AssignmentItem';
import { useInbox } from './useInbox';

export function AgentInbox({ agentId }: { agentId: string }) {
  const agent = useAgentsStore((s) => s.agents.find((a) => a.id === agentId));
  const agentsLoaded = useAgentsStore((s) => s.loadState === 'ready');
  const loadAgents = useAgentsStore((s) => s.load);
  const { assignments, loading, error, socketStatus } = useInbox(agentId);

  useEffect(() => {
    void loadAgents();
  }, [loadAgents]);

  return (
    <section className="page inbox">
      <p className="breadcrumb">
        <Link href="/agents">← All agents</Link>
      </p>
      <header className="inbox-header">
        <div>
          <h1 data-testid="agent-name">{agent?.name ?? agentId}</h1>
          {agent && <p className="muted">{agent.email}</p>}
        </div>
        <span className={`socket-status socket-status--${socketStatus}`} data-testid="socket-status">
          {socketStatus}
        </span>
      </header>
      {agentsLoaded && !agent && (
        <p className="error" role="alert">
          No agent with id {agentId}.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {loading && assignments.length === 0 && <p className="muted">Loading assignments…</p>}
      {!loading && !error && assignments.length === 0 && (
        <p className="muted">No conversations assigned yet. New ones appear here as they arrive.</p>
      )}
      <ul className="assignment-list" data-testid="assignment-list">
        {assignments.map((assignment) => (
          <AssignmentItem key={assignment.id} assignment={assignment} viewerId={agentId} />
        ))}
      </ul>
    </section>
  );
}
