import type { AgentCandidate, AssignmentExplanation } from '@switchboard/shared';

type Props = { explanation: AssignmentExplanation; viewerId: string };

function words(identifier: string): string {
  return identifier.replace(/_/g, ' ');
}

function outcome(candidate: AgentCandidate, chosenAgentId: string | null): string {
  if (candidate.skipReason) return words(candidate.skipReason);
  return candidate.agentId === chosenAgentId ? 'chosen' : 'eligible';
}

export function ExplanationDetails({ explanation, viewerId }: Props) {
  return (
    <div className="explanation-body" data-testid="assignment-explanation">
      {explanation.summary && <p className="explanation-summary">{explanation.summary}</p>}
      <dl className="explanation-facts">
        <dt>Strategy</dt>
        <dd data-testid="explanation-strategy">{words(explanation.strategy)}</dd>
        <dt>Team</dt>
        <dd data-testid="explanation-team">{explanation.teamId ?? 'none'}</dd>
        <dt>Path</dt>
        <dd data-testid="explanation-path">
          <code>{explanation.path.join(' → ')}</code>
        </dd>
        <dt>Workflow version</dt>
        <dd data-testid="explanation-version">
          <code>{explanation.workflowVersionId}</code>
        </dd>
      </dl>
      {explanation.candidates.length === 0 ? (
        <p className="muted">No candidates were considered.</p>
      ) : (
        <table className="candidates">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Open / capacity</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {explanation.candidates.map((candidate) => {
              const result = outcome(candidate, explanation.chosenAgentId);
              return (
                <tr
                  key={candidate.agentId}
                  className={candidate.agentId === viewerId ? 'candidate candidate--you' : 'candidate'}
                  data-agent-id={candidate.agentId}
                >
                  <td>
                    {candidate.name}
                    {candidate.agentId === viewerId && <span className="muted"> (you)</span>}
                  </td>
                  <td className="numeric">
                    {candidate.openConversations} / {candidate.capacity}
                  </td>
                  <td>
                    <span className={`outcome outcome--${result.replace(/ /g, '-')}`}>{result}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
