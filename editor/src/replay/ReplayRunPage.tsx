import { useEffect, useState } from 'react';
import { errorMessage, postJson } from '../api';
import { Link } from '../app/Link';
import { replayPath } from '../app/routes';
import { formatDateTime } from '../format';
import { useJson } from '../useJson';
import { type ConversationComparison, type ReplayRun, replayUrl } from './replayApi';

const POLL_MS = 500;

/** A shadow replay's progress while it runs; its totals and per-conversation results once done. */
export function ReplayRunPage({ runId }: { runId: string }) {
  const run = useJson<{ run: ReplayRun }>(replayUrl(runId));
  const [changedOnly, setChangedOnly] = useState(true);
  const status = run.data?.run.status;
  const finished = status === 'completed' || status === 'cancelled' || status === 'failed';
  const results = useJson<{ conversations: ConversationComparison[] }>(
    status === 'completed' ? `${replayUrl(runId)}/conversations?limit=500&changedOnly=${changedOnly}` : null,
  );
  const [cancelError, setCancelError] = useState<string | null>(null);
  const { reload } = run;

  useEffect(() => {
    if (finished || !status) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [finished, status, reload]);

  async function cancel() {
    try {
      await postJson(`${replayUrl(runId)}/cancel`);
      reload();
    } catch (error) {
      setCancelError(errorMessage(error));
    }
  }

  const data = run.data?.run;
  const totals = data?.totals;
  const percent =
    data && data.totalEvents > 0 ? Math.round((100 * data.processedEvents) / data.totalEvents) : 100;
  return (
    <section className="page">
      <p className="breadcrumb">
        {data && <Link href={replayPath(data.workflowId)}>Shadow replay</Link>} / run
      </p>
      {(run.error ?? cancelError) && (
        <p className="error" role="alert">
          {run.error ?? cancelError}
        </p>
      )}
      {data && (
        <>
          <h1>
            Shadow replay{' '}
            <span className={`badge badge--${data.status}`} data-testid="replay-status">
              {data.status}
            </span>
          </h1>
          <p className="muted">
            Events from {formatDateTime(data.from)} until {formatDateTime(data.to)}
          </p>
          <progress max={100} value={percent} data-testid="replay-progress" />{' '}
          <span>
            {data.processedEvents} / {data.totalEvents} events
          </span>
          {!finished && (
            <button type="button" onClick={() => void cancel()}>
              Cancel
            </button>
          )}
          {data.error && <p className="error">{data.error}</p>}
        </>
      )}
      {totals && (
        <>
          <dl className="totals" data-testid="replay-totals">
            <div>
              <dt>Conversations</dt>
              <dd>{totals.conversations}</dd>
            </div>
            <div>
              <dt>Assignments changed</dt>
              <dd data-testid="assignments-changed">{totals.assignmentsChanged}</dd>
            </div>
            <div>
              <dt>Escalations</dt>
              <dd>
                {totals.escalations.before} → {totals.escalations.after}
              </dd>
            </div>
            <div>
              <dt>Predicted SLA breaches</dt>
              <dd>
                {totals.slaBreaches.before} → {totals.slaBreaches.after}
              </dd>
            </div>
          </dl>
          <h2>Load per agent</h2>
          <table className="data-table">
            <thead>
              <tr>
                <th>Agent</th>
                <th className="numeric">Assigned before</th>
                <th className="numeric">after</th>
                <th className="numeric">Open at end before</th>
                <th className="numeric">after</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(totals.loadPerAgent).map(([agentId, load]) => (
                <tr key={agentId}>
                  <td>{agentId}</td>
                  <td className="numeric">{load.before.assigned}</td>
                  <td className="numeric">{load.after.assigned}</td>
                  <td className="numeric">{load.before.openAtEnd}</td>
                  <td className="numeric">{load.after.openAtEnd}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Conversations</h2>
          <p>
            <label>
              <input
                type="checkbox"
                checked={changedOnly}
                onChange={(event) => setChangedOnly(event.target.checked)}
              />{' '}
              only those that change
            </label>{' '}
            · export <a href={`${replayUrl(runId)}/export?format=csv`}>CSV</a> ·{' '}
            <a href={`${replayUrl(runId)}/export?format=json`}>JSON</a>
          </p>
          <table className="data-table" data-testid="replay-results">
            <thead>
              <tr>
                <th>Conversation</th>
                <th>Recorded</th>
                <th>Assignee before → after</th>
                <th>Team before → after</th>
                <th>Tags before → after</th>
                <th>Escalations</th>
                <th>Changes</th>
              </tr>
            </thead>
            <tbody>
              {results.data?.conversations.map((row) => (
                <tr key={row.conversationId} data-testid="replay-row">
                  <td>
                    <code>{row.conversationId.slice(0, 8)}</code>
                  </td>
                  <td>{row.recordedAssigneeId ?? '—'}</td>
                  <td>
                    {row.before.assigneeId ?? '—'} → {row.after.assigneeId ?? '—'}
                  </td>
                  <td>
                    {row.before.teamId ?? '—'} → {row.after.teamId ?? '—'}
                  </td>
                  <td>
                    {row.before.tags.join(', ') || '—'} → {row.after.tags.join(', ') || '—'}
                  </td>
                  <td>
                    {row.before.escalations} → {row.after.escalations}
                  </td>
                  <td>{row.differences.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
