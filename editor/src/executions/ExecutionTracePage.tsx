import { useMemo, useState } from 'react';
import { errorMessage, postJson } from '../api';
import { LazyWorkflowCanvas } from '../app/LazyWorkflowCanvas';
import { Link } from '../app/Link';
import { formatDateTime } from '../format';
import { useJson } from '../useJson';
import type { VersionReply } from '../versions/versionsApi';
import { versionUrl } from '../versions/versionsApi';
import { type ExecutionTrace, executionUrl } from './executionsApi';
import { traceHighlight } from './traceHighlight';

/** One execution: its path drawn over the version's graph, each step, the assignment explanations. */
export function ExecutionTracePage({ executionId }: { executionId: string }) {
  const trace = useJson<ExecutionTrace>(executionUrl(executionId));
  const execution = trace.data?.execution;
  const version = useJson<VersionReply>(
    execution?.workflowId && execution.versionNumber
      ? versionUrl(execution.workflowId, execution.versionNumber)
      : null,
  );
  const highlight = useMemo(() => (trace.data ? traceHighlight(trace.data.steps) : undefined), [trace.data]);
  const [actionError, setActionError] = useState<string | null>(null);
  const [retryNode, setRetryNode] = useState('');
  const [retried, setRetried] = useState(false);

  async function stop(mode: 'cancel' | 'terminate') {
    setActionError(null);
    try {
      await postJson(`${executionUrl(executionId)}/${mode}`, { requestedBy: 'admin (editor)' });
      trace.reload();
    } catch (error) {
      setActionError(errorMessage(error));
    }
  }

  async function retry() {
    setActionError(null);
    try {
      await postJson(`${executionUrl(executionId)}/retry`, {
        nodeId: retryNode,
        requestedBy: 'admin (editor)',
      });
      setRetried(true);
    } catch (error) {
      setActionError(errorMessage(error));
    }
  }

  const retryable =
    version.data?.version.graph.nodes.filter((node) => !node.type.startsWith('trigger.')) ?? [];
  const live = execution?.status === 'running' || execution?.status === 'waiting';
  return (
    <section className="page page--canvas">
      <p className="breadcrumb">
        <Link href="/executions">Executions</Link> / <code>{executionId}</code>
      </p>
      {(trace.error ?? actionError) && (
        <p className="error" role="alert">
          {trace.error ?? actionError}
        </p>
      )}
      {execution && trace.data && (
        <>
          <header className="trace-header">
            <h1>
              Execution <span className={`badge badge--${execution.status}`}>{execution.status}</span>
            </h1>
            <p className="muted">
              Conversation <code>{execution.conversationId}</code> · v{execution.versionNumber ?? '?'} ·
              started {formatDateTime(execution.startedAt)}
            </p>
            <p>
              Router shard <code>{trace.data.temporal.workflowId}</code>{' '}
              {trace.data.temporal.url && (
                <a href={trace.data.temporal.url} target="_blank" rel="noreferrer">
                  open in Temporal Web UI
                </a>
              )}
            </p>
            {!live && retryable.length > 0 && (
              <p className="actions">
                <select value={retryNode} onChange={(event) => setRetryNode(event.target.value)}>
                  <option value="">retry from…</option>
                  {retryable.map((node) => (
                    <option key={node.id} value={node.id}>
                      {node.label ?? node.id}
                    </option>
                  ))}
                </select>
                <button type="button" disabled={!retryNode} onClick={() => void retry()}>
                  Retry from node
                </button>
                {retried && <span className="muted">queued: a new execution starts there</span>}
              </p>
            )}
            {live && (
              <p className="actions">
                <button type="button" onClick={() => void stop('cancel')}>
                  Cancel
                </button>
                <button type="button" onClick={() => void stop('terminate')}>
                  Terminate
                </button>
              </p>
            )}
          </header>
          {version.data && <LazyWorkflowCanvas graph={version.data.version.graph} highlight={highlight} />}
          <table className="data-table" data-testid="trace-steps">
            <thead>
              <tr>
                <th>At</th>
                <th>Node</th>
                <th>Status</th>
                <th>Output</th>
                <th>Cause (input)</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {trace.data.steps.map((step) => (
                <tr key={step.key}>
                  <td>{new Date(step.at).toISOString().slice(11, 23)}</td>
                  <td>
                    <code>{step.nodeId}</code> <span className="muted">{step.nodeType}</span>
                  </td>
                  <td>{step.status}</td>
                  <td>{step.output ?? '—'}</td>
                  <td>{step.cause ?? '—'}</td>
                  <td className="error-cell">{step.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {trace.data.assignments.map((assignment) => (
            <div key={assignment.id} className="explanation-body">
              <strong>Assignment at {assignment.nodeId}:</strong> {assignment.explanation.summary}
            </div>
          ))}
        </>
      )}
    </section>
  );
}
