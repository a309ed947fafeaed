import { useDraft } from './draftContext';

/** The graph's validation, the same the server runs on publish; a click centres the node. */
export function ProblemsPanel() {
  const problems = useDraft((s) => s.validation.problems);
  const focusNode = useDraft((s) => s.focusNode);
  const errors = problems.filter((p) => p.severity === 'error').length;
  return (
    <section className="problems" aria-label="Problems" data-testid="problems-panel">
      <h3 className="problems-title">
        Problems{' '}
        <span className="muted" data-testid="problem-count">
          {errors} error{errors === 1 ? '' : 's'}, {problems.length - errors} warning
          {problems.length - errors === 1 ? '' : 's'}
        </span>
      </h3>
      {problems.length === 0 ? (
        <p className="muted">No problems: this draft can be published.</p>
      ) : (
        <ul className="problems-list">
          {problems.map((problem) => (
            <li
              key={`${problem.code}:${problem.nodeId ?? problem.edgeId ?? ''}:${problem.field ?? ''}:${problem.message}`}
            >
              <button
                type="button"
                className={`problem problem--${problem.severity}`}
                disabled={!problem.nodeId}
                onClick={() => problem.nodeId && focusNode(problem.nodeId)}
                data-testid="problem"
                data-node-id={problem.nodeId}
                data-code={problem.code}
              >
                <span className="problem-severity">{problem.severity === 'error' ? '⛔' : '⚠'}</span>
                {problem.message}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
