import { useEffect } from 'react';
import { Link } from '../app/Link';
import { agentPath } from '../app/routes';
import { useAgentsStore } from './store';

export function AgentsPage() {
  const agents = useAgentsStore((s) => s.agents);
  const loadState = useAgentsStore((s) => s.loadState);
  const error = useAgentsStore((s) => s.error);
  const load = useAgentsStore((s) => s.load);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="page">
      <h1>Agents</h1>
      {loadState === 'loading' && agents.length === 0 && <p className="muted">Loading…</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {loadState === 'ready' && agents.length === 0 && <p className="muted">No agents yet.</p>}
      <ul className="agent-list" data-testid="agent-list">
        {agents.map((agent) => (
          <li key={agent.id} className="agent-row">
            <Link href={agentPath(agent.id)} className="agent-link" data-agent-id={agent.id}>
              <span className={`status-dot status-dot--${agent.status}`} title={agent.status} />
              <span className="agent-name">{agent.name}</span>
              <span className="muted">{agent.email}</span>
            </Link>
            <div className="agent-facts">
              <span>capacity {agent.capacity}</span>
              {agent.teamIds.length > 0 && <span>teams {agent.teamIds.join(', ')}</span>}
              {agent.skills.length > 0 && (
                <span>skills {agent.skills.map((s) => `${s.skill} ${s.level}`).join(', ')}</span>
              )}
              <span>{agent.timeZone}</span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
