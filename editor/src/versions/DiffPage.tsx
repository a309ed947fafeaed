import { useMemo } from 'react';
import { LazyWorkflowCanvas } from '../app/LazyWorkflowCanvas';
import { Link } from '../app/Link';
import { versionsPath } from '../app/routes';
import { useJson } from '../useJson';
import { diffCanvas } from './diffCanvas';
import { type DiffReply, diffUrl } from './versionsApi';

const show = (value: unknown) => (value === undefined ? '—' : JSON.stringify(value));

/** Two versions on one canvas (added, removed, changed highlighted) and the field-by-field config diff. */
export function DiffPage({ workflowId, from, to }: { workflowId: string; from: number; to: number }) {
  const { data, error } = useJson<DiffReply>(diffUrl(workflowId, from, to));
  const drawn = useMemo(() => (data ? diffCanvas(data.from.graph, data.to.graph, data.diff) : null), [data]);
  const diff = data?.diff;
  return (
    <section className="page page--canvas">
      <p className="breadcrumb">
        <Link href={versionsPath(workflowId)}>Versions</Link> / v{from} → v{to}
      </p>
      <h1>
        Changes from v{from} to v{to}
      </h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {diff && (
        <div className="diff-summary" data-testid="diff-summary">
          {diff.identical ? (
            <p>The two versions are identical.</p>
          ) : (
            <ul className="legend">
              <li className="legend--added">{diff.addedNodes.length} nodes added</li>
              <li className="legend--removed">{diff.removedNodes.length} nodes removed</li>
              <li className="legend--changed">{diff.changedNodes.length} nodes changed</li>
              <li>
                edges: {diff.addedEdges.length} added, {diff.removedEdges.length} removed,{' '}
                {diff.changedEdges.length} rewired
              </li>
            </ul>
          )}
        </div>
      )}
      {drawn && <LazyWorkflowCanvas key={`${from}-${to}`} graph={drawn.graph} highlight={drawn.highlight} />}
      {diff && diff.changedNodes.length > 0 && (
        <table className="data-table" data-testid="config-diff">
          <thead>
            <tr>
              <th>Node</th>
              <th>Field</th>
              <th>v{from}</th>
              <th>v{to}</th>
            </tr>
          </thead>
          <tbody>
            {diff.changedNodes.flatMap((node) =>
              node.fields.map((field) => (
                <tr key={`${node.nodeId}:${field.path}`}>
                  <td>
                    <code>{node.nodeId}</code>
                  </td>
                  <td>
                    <code>{field.path}</code>
                  </td>
                  <td className="diff-before">{show(field.before)}</td>
                  <td className="diff-after">{show(field.after)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}
