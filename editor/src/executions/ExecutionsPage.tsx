import { useState } from 'react';
import type { WorkflowSummary } from '../api';
import { Link } from '../app/Link';
import { executionPath } from '../app/routes';
import { formatDateTime } from '../format';
import { useJson } from '../useJson';
import { type ExecutionFilters, type ExecutionSummary, executionsUrl } from './executionsApi';

const STATUSES = ['running', 'waiting', 'completed', 'failed', 'cancelled', 'terminated'];
const noFilters: ExecutionFilters = {
  workflowId: '',
  versionId: '',
  status: '',
  conversationId: '',
  from: '',
  to: '',
};

/** Executions newest first, filtered by workflow, status, conversation and start time, in pages. */
export function ExecutionsPage() {
  const workflows = useJson<{ workflows: WorkflowSummary[] }>('/api/workflows');
  const [filters, setFilters] = useState<ExecutionFilters>(noFilters);
  // Cursors of the pages seen so far; the last one is the page shown.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useJson<{ executions: ExecutionSummary[]; nextCursor: string | null }>(
    executionsUrl(filters, cursor),
  );
  const set = (key: keyof ExecutionFilters) => (event: { target: { value: string } }) => {
    setFilters((previous) => ({ ...previous, [key]: event.target.value }));
    setCursors([null]);
  };

  return (
    <section className="page">
      <h1>Executions</h1>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <label className="field">
          Workflow
          <select value={filters.workflowId} onChange={set('workflowId')}>
            <option value="">any</option>
            {workflows.data?.workflows.map((workflow) => (
              <option key={workflow.id} value={workflow.id}>
                {workflow.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Status
          <select value={filters.status} onChange={set('status')} data-testid="filter-status">
            <option value="">any</option>
            {STATUSES.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
        </label>
        <label className="field">
          Version id
          <input value={filters.versionId} onChange={set('versionId')} />
        </label>
        <label className="field">
          Conversation
          <input value={filters.conversationId} onChange={set('conversationId')} />
        </label>
        <label className="field">
          Started from
          <input type="datetime-local" value={filters.from} onChange={set('from')} />
        </label>
        <label className="field">
          until
          <input type="datetime-local" value={filters.to} onChange={set('to')} />
        </label>
      </form>
      {page.error && (
        <p className="error" role="alert">
          {page.error}
        </p>
      )}
      <table className="data-table" data-testid="executions-table">
        <thead>
          <tr>
            <th>Execution</th>
            <th>Conversation</th>
            <th>Version</th>
            <th>Status</th>
            <th>Started</th>
            <th>Last step</th>
          </tr>
        </thead>
        <tbody>
          {page.data?.executions.map((execution) => (
            <tr key={execution.id} data-testid="execution-row">
              <td>
                <Link href={executionPath(execution.id)}>
                  <code>{execution.id}</code>
                </Link>
              </td>
              <td>
                <code>{execution.conversationId}</code>
              </td>
              <td>{execution.versionNumber ? `v${execution.versionNumber}` : '—'}</td>
              <td>
                <span className={`badge badge--${execution.status}`}>{execution.status}</span>
              </td>
              <td>{formatDateTime(execution.startedAt)}</td>
              <td>{formatDateTime(execution.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.data?.executions.length === 0 && <p className="muted">No executions match.</p>}
      <div className="pager">
        <button type="button" disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          disabled={!page.data?.nextCursor}
          onClick={() => setCursors((c) => [...c, page.data?.nextCursor ?? null])}
        >
          Older
        </button>
      </div>
    </section>
  );
}
