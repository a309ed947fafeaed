import { LazyWorkflowCanvas } from '../app/LazyWorkflowCanvas';
import { Link } from '../app/Link';
import { versionsPath } from '../app/routes';
import { formatDateTime } from '../format';
import { useJson } from '../useJson';
import { type VersionReply, versionUrl } from './versionsApi';

/** One published version, read-only. */
export function VersionView({ workflowId, number }: { workflowId: string; number: number }) {
  const { data, error } = useJson<VersionReply>(versionUrl(workflowId, number));
  const version = data?.version;
  return (
    <section className="page page--canvas">
      <p className="breadcrumb">
        <Link href={versionsPath(workflowId)}>Versions</Link> / v{number}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {version && (
        <>
          <h1>
            v{version.number} <span className="muted">{version.note}</span>
          </h1>
          <p className="muted">
            Published {formatDateTime(version.publishedAt)} by {version.publishedBy ?? 'unknown'} · hash{' '}
            <code>{version.contentHash.slice(0, 12)}</code> · read-only
          </p>
          <LazyWorkflowCanvas key={version.id} graph={version.graph} />
        </>
      )}
    </section>
  );
}
