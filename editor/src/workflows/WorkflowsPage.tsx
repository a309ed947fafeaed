import { lazy, Suspense, useEffect, useState } from 'react';
import { errorMessage, type WorkflowSummary } from '../api';
import { Link } from '../app/Link';
import { navigate } from '../app/router';
import { workflowEditorPath } from '../app/routes';
import { formatDateTime, toIso } from '../format';
import { draftApi } from '../workflowEditor/draftApi';
import { editorName } from '../workflowEditor/useDraftSaving';
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
        <CreateWorkflow />
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
                <WorkflowFacts workflowId={workflow.id} />
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <div className="workflow-detail">
        {current && <WorkflowActions workflowId={current.id} key={current.id} />}
        {current && <WorkflowDetail workflow={current} />}
      </div>
    </section>
  );
}

function CreateWorkflow() {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = async () => {
    try {
      const draft = await draftApi.create(name.trim(), editorName());
      navigate(workflowEditorPath(draft.workflowId));
    } catch (createError) {
      setError(errorMessage(createError));
    }
  };
  return (
    <form
      className="create-workflow"
      onSubmit={(event) => {
        event.preventDefault();
        void create();
      }}
    >
      <input
        value={name}
        onChange={(e) => setName(e.target.value)}
        placeholder="New workflow name"
        aria-label="New workflow name"
        data-testid="new-workflow-name"
      />
      <button type="submit" disabled={!name.trim()} data-testid="create-workflow">
        Create
      </button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}

/** Published version, last edit and executions: what a manager scans the list for. */
function WorkflowFacts({ workflowId }: { workflowId: string }) {
  const facts = useWorkflowsStore((s) => s.overview.get(workflowId));
  if (!facts) return null;
  return (
    <span className="sidebar-item-facts muted" data-testid="workflow-facts">
      {facts.publishedVersionNumber ? `v${facts.publishedVersionNumber}` : 'unpublished'} ·{' '}
      {facts.executionCount} execution{facts.executionCount === 1 ? '' : 's'}
      {facts.lastEditedAt && (
        <>
          {' '}
          · edited {formatDateTime(facts.lastEditedAt)}
          {facts.lastEditedBy ? ` by ${facts.lastEditedBy}` : ''}
        </>
      )}
    </span>
  );
}

function WorkflowActions({ workflowId }: { workflowId: string }) {
  const load = useWorkflowsStore((s) => s.load);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (actionError) {
      setError(errorMessage(actionError));
    }
  };
  return (
    <div className="workflow-actions">
      <Link href={workflowEditorPath(workflowId)} className="button-like primary" data-testid="edit-workflow">
        Edit draft
      </Link>
      <button
        type="button"
        onClick={() =>
          void run(async () => {
            const copy = await draftApi.duplicate(workflowId, editorName());
            navigate(workflowEditorPath(copy.workflowId));
          })
        }
      >
        Duplicate
      </button>
      <button
        type="button"
        onClick={() =>
          void run(async () => {
            if (!window.confirm('Archive this workflow? It stops starting new executions.')) return;
            await draftApi.archive(workflowId);
            await load();
          })
        }
      >
        Archive
      </button>
      {error && <span className="error">{error}</span>}
    </div>
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
