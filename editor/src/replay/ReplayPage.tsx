import { type FormEvent, useState } from 'react';
import { errorMessage, postJson, type WorkflowSummary } from '../api';
import { Link } from '../app/Link';
import { navigate } from '../app/router';
import { replayPath, replayRunPath } from '../app/routes';
import { formatDateTime } from '../format';
import { useJson } from '../useJson';
import { type VersionsReply, versionsUrl } from '../versions/versionsApi';
import { type ReplayRun, replaysUrl } from './replayApi';

/** datetime-local wants local wall time without a zone. */
function localInput(epochMs: number): string {
  const date = new Date(epochMs - new Date(epochMs).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

/** Start a shadow replay: a time range of recorded events and a target (a published version or a draft). */
export function ReplayPage({ workflowId }: { workflowId: string | null }) {
  const workflows = useJson<{ workflows: WorkflowSummary[] }>('/api/workflows');
  const current = workflowId ?? workflows.data?.workflows[0]?.id ?? null;
  const versions = useJson<VersionsReply>(current ? versionsUrl(current) : null);
  const runs = useJson<{ runs: ReplayRun[] }>(current ? replaysUrl(current) : null);
  const [from, setFrom] = useState(() => localInput(Date.now() - 24 * 3_600_000));
  const [to, setTo] = useState(() => localInput(Date.now() + 60_000));
  const [target, setTarget] = useState('');
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function start(event: FormEvent) {
    event.preventDefault();
    if (!current) return;
    setError(null);
    try {
      const body: Record<string, unknown> = { from: new Date(from).getTime(), to: new Date(to).getTime() };
      if (target === 'draft') body.draftGraph = JSON.parse(draft);
      else body.targetVersion = Number(target || versions.data?.versions[0]?.number);
      const { run } = await postJson<{ run: ReplayRun }>(replaysUrl(current), body);
      navigate(replayRunPath(run.id));
    } catch (caught) {
      setError(
        caught instanceof SyntaxError ? `the draft is not JSON: ${caught.message}` : errorMessage(caught),
      );
    }
  }

  return (
    <section className="page">
      <h1>Shadow replay</h1>
      <p className="muted">
        Re-runs recorded WhatsApp events in dry-run through another version: nothing is sent or assigned.
      </p>
      <form className="filters" onSubmit={(event) => void start(event)} data-testid="replay-form">
        <label className="field">
          Workflow
          <select value={current ?? ''} onChange={(event) => navigate(replayPath(event.target.value))}>
            {workflows.data?.workflows.map((workflow) => (
              <option key={workflow.id} value={workflow.id}>
                {workflow.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Events from
          <input
            type="datetime-local"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
            required
          />
        </label>
        <label className="field">
          until
          <input type="datetime-local" value={to} onChange={(event) => setTo(event.target.value)} required />
        </label>
        <label className="field">
          Target
          <select
            value={target}
            onChange={(event) => setTarget(event.target.value)}
            data-testid="replay-target"
          >
            {versions.data?.versions.map((version) => (
              <option key={version.id} value={version.number}>
                v{version.number} {version.note}
              </option>
            ))}
            <option value="draft">a draft graph (JSON)</option>
          </select>
        </label>
        {target === 'draft' && (
          <label className="field field--wide">
            Draft graph
            <textarea rows={6} value={draft} onChange={(event) => setDraft(event.target.value)} />
          </label>
        )}
        <button type="submit" data-testid="replay-start">
          Run shadow replay
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <h2>Earlier runs</h2>
      <ul className="run-list">
        {runs.data?.runs.map((run) => (
          <li key={run.id}>
            <Link href={replayRunPath(run.id)}>{formatDateTime(run.createdAt)}</Link>{' '}
            <span className={`badge badge--${run.status}`}>{run.status}</span>{' '}
            <span className="muted">
              {run.processedEvents}/{run.totalEvents} events
              {run.totals ? ` · ${run.totals.assignmentsChanged} assignments changed` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
