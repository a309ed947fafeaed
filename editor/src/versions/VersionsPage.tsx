import {
  type RunningExecutionsPolicy,
  runningExecutionsPolicySchema,
  type VersionSummary,
} from '@switchboard/shared';
import { useState } from 'react';
import { errorMessage, postJson, type WorkflowSummary } from '../api';
import { Link } from '../app/Link';
import { navigate } from '../app/router';
import { versionDiffPath, versionPath, versionsPath } from '../app/routes';
import { formatDateTime, toIso } from '../format';
import { useJson } from '../useJson';
import { rollbackUrl, type VersionsReply, versionsUrl } from './versionsApi';

/** Every published version of a workflow, newest first, with what runs on it and a rollback. */
export function VersionsPage({ workflowId }: { workflowId: string | null }) {
  const workflows = useJson<{ workflows: WorkflowSummary[] }>('/api/workflows');
  const current = workflowId ?? workflows.data?.workflows[0]?.id ?? null;
  const versions = useJson<VersionsReply>(current ? versionsUrl(current) : null);
  const [rollbackError, setRollbackError] = useState<string | null>(null);
  const [runningExecutions, setRunningExecutions] = useState<RunningExecutionsPolicy>('stay');

  async function rollBack(version: VersionSummary) {
    if (!current) return;
    setRollbackError(null);
    try {
      await postJson(rollbackUrl(current, version.number), {
        publishedBy: 'admin (editor)',
        runningExecutions,
      });
      versions.reload();
    } catch (error) {
      setRollbackError(errorMessage(error));
    }
  }

  const list = versions.data?.versions ?? [];
  const published = list.find((version) => version.id === versions.data?.publishedVersionId);
  return (
    <section className="page">
      <h1>Versions</h1>
      <label className="field">
        Workflow{' '}
        <select
          value={current ?? ''}
          onChange={(event) => navigate(versionsPath(event.target.value))}
          data-testid="versions-workflow"
        >
          {workflows.data?.workflows.map((workflow) => (
            <option key={workflow.id} value={workflow.id}>
              {workflow.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        On rollback, running executions
        <select
          value={runningExecutions}
          onChange={(event) => setRunningExecutions(runningExecutionsPolicySchema.parse(event.target.value))}
        >
          <option value="stay">stay on their version until done</option>
          <option value="move_at_safe_point">move at their next safe point</option>
        </select>
      </label>
      {(versions.error ?? workflows.error ?? rollbackError) && (
        <p className="error" role="alert">
          {versions.error ?? workflows.error ?? rollbackError}
        </p>
      )}
      <table className="data-table" data-testid="versions-table">
        <thead>
          <tr>
            <th>Version</th>
            <th>Note</th>
            <th>Author</th>
            <th>Content hash</th>
            <th>Published</th>
            <th className="numeric">Conversations running</th>
            <th>Running executions</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((version) => {
            const isPublished = version.id === published?.id;
            return (
              <tr key={version.id} data-testid="version-row" data-version={version.number}>
                <td>
                  <Link href={current ? versionPath(current, version.number) : '#'}>v{version.number}</Link>
                  {isPublished && <span className="badge badge--published">published</span>}
                </td>
                <td>{version.note || <span className="muted">—</span>}</td>
                <td>{version.publishedBy ?? <span className="muted">unknown</span>}</td>
                <td>
                  <code title={version.contentHash}>{version.contentHash.slice(0, 12)}</code>
                </td>
                <td>
                  <time dateTime={toIso(version.publishedAt)}>{formatDateTime(version.publishedAt)}</time>
                </td>
                <td className="numeric" data-testid="version-live">
                  {version.runningConversations}
                </td>
                <td>
                  {version.runningExecutions === 'stay' ? 'stay on their version' : 'move at safe point'}
                </td>
                <td className="actions">
                  {published && !isPublished && current && (
                    <>
                      <Link href={versionDiffPath(current, version.number, published.number)}>
                        diff with v{published.number}
                      </Link>
                      <button type="button" onClick={() => void rollBack(version)} data-testid="rollback">
                        Roll back to v{version.number}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
