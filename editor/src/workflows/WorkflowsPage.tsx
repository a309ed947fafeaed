import { lazy, Suspense, useEffect } from 'react';
import type { WorkflowSummary } from '../api';
import { formatDateTime, toIso } from '../format';
import { selectCurrentWorkflow, useWorkflowsStore } from './store';

// React Flow is most of the bundle; agents opening their inbox never need it.
const WorkflowCanvas = lazy(() => import('./WorkflowCanvas').then((m) => ({ default: m.WorkflowCanvas })));

export function WorkflowsPage() {
  const workflows = useWorkflowsStore((s) => s.workflows);
  const loadState = useWorkflowsStore((s) => s.loadState);
  const error = useWorkflowsStore((s) => s.error);
  const current = useWorkflowsStore(selectCurrentWorkflow);
  const load = useWorkflowsStore((s) => s.load);
  const select = useWorkflowsStore((s) => s.select);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="page page--split">
      <aside className="sidebar">
        <h2 className="sidebar-title">Workflows</h2>
        {loadState === 'loading' && workflows.length === 0 && <p className="muted">Loading…</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {loadState === 'ready' && workflows.length === 0 && <p className="muted">No workflows yet.</p>}
        <ul className="sidebar-list">
          {workflows.map((workflow) => (
            <li key={workflow.id}>
              <button
                type="button"
                className="sidebar-item"
                aria-current={workflow.id === current?.id ? 'true' : undefined}
                onClick={() => select(workflow.id)}
              >
                <span className="sidebar-item-name">{workflow.name}</span>
                <span className={`badge badge--${workflow.status}`}>{workflow.status}</span>
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <div className="workflow-detail">{current && <WorkflowDetail workflow={current} />}</div>
    </section>
  );
}

function WorkflowDetail({ workflow }: { workflow: WorkflowSummary }) {
  const version = workflow.publishedVersion;
  return (
    <>
      <header className="workflow-header">
        <h1>{workflow.name}</h1>
        {version ? (
          <dl className="version-meta">
            <div>
              <dt>Version</dt>
              <dd data-testid="version-number">v{version.number}</dd>
            </div>
            <div>
              <dt>Content hash</dt>
              <dd>
                <code data-testid="content-hash" title={version.contentHash}>
                  {version.contentHash.slice(0, 12)}
                </code>
              </dd>
            </div>
            <div>
              <dt>Published</dt>
              <dd data-testid="published-at">
                <time dateTime={toIso(version.publishedAt)}>{formatDateTime(version.publishedAt)}</time>
                {version.publishedBy && <span className="muted"> by {version.publishedBy}</span>}
              </dd>
            </div>
            {version.note && (
              <div>
                <dt>Note</dt>
                <dd>{version.note}</dd>
              </div>
            )}
          </dl>
        ) : (
          <p className="muted">This workflow has not been published yet, so there is no graph to show.</p>
        )}
      </header>
      {/* Keyed by version so fitView runs again when another workflow is picked. */}
      {version && (
        <Suspense fallback={<div className="workflow-canvas workflow-canvas--loading">Loading graph…</div>}>
          <WorkflowCanvas key={version.id} graph={version.graph} />
        </Suspense>
      )}
    </>
  );
}
