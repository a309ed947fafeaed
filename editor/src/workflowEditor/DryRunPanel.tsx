import type { AssignEffect, AssignResult, RoutedEvent } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { errorMessage } from '../api';
import { draftApi, dryRunAssign, type RecordedEvent } from './draftApi';
import { useDraftStore } from './draftContext';
import { type DryRunResult, dryRun, sampleMessageEvent } from './dryRun';
import { useLookups } from './useLookups';

/** When the runtime cannot be asked, say what would happen instead of inventing an agent. */
function unsimulatedAssignment(effect: AssignEffect, reason: string): AssignResult {
  return {
    type: 'assign',
    assignmentId: 'dry-run',
    agentId: null,
    explanation: {
      strategy: effect.strategy,
      teamId: effect.teamId,
      workflowVersionId: effect.workflowVersionId,
      nodeId: effect.nodeId,
      path: effect.path,
      candidates: [],
      chosenAgentId: null,
      summary: `would assign via ${effect.strategy.replaceAll('_', ' ')}${effect.teamId ? ` in ${effect.teamId}` : ''} (${reason})`,
    },
  };
}

async function simulateAssign(effect: AssignEffect): Promise<AssignResult> {
  try {
    return await dryRunAssign(effect);
  } catch (error) {
    return unsimulatedAssignment(effect, `live agents unavailable: ${errorMessage(error)}`);
  }
}

export function DryRunPanel({ onResult }: { onResult: (result: DryRunResult | null) => void }) {
  const store = useDraftStore();
  const lookups = useLookups();
  const [recorded, setRecorded] = useState<RecordedEvent[]>([]);
  const [source, setSource] = useState<string>('sample');
  const [text, setText] = useState('Hi, my invoice is wrong');
  const [name, setName] = useState('Test customer');
  const [letTimersExpire, setLetTimersExpire] = useState(true);
  const [result, setResult] = useState<DryRunResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  useEffect(() => {
    draftApi.recordedEvents().then(setRecorded, () => setRecorded([]));
  }, []);

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      const now = Date.now();
      const chosen = recorded.find((r) => r.messageId === source);
      const event: RoutedEvent = chosen
        ? { ...chosen.event, occurredAt: now }
        : sampleMessageEvent({
            text,
            customerName: name,
            customerWaId: '15550001111',
            businessNumberId: lookups.businessNumbers[0]?.id ?? 'dry-run-number',
            now,
            isNewConversation: true,
            tags: [],
          });
      const outcome = await dryRun(store.getState().graph, event, { now, letTimersExpire, simulateAssign });
      setResult(outcome);
      onResult(outcome);
    } catch (runError) {
      setError(errorMessage(runError));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="dry-run" aria-label="Test run" data-testid="dry-run">
      <h3>Test run</h3>
      <label className="field">
        <span className="field-label">Event</span>
        <select value={source} onChange={(e) => setSource(e.target.value)} data-testid="dry-run-source">
          <option value="sample">Sample WhatsApp message…</option>
          {recorded.map((r) => (
            <option key={r.messageId} value={r.messageId}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      {source === 'sample' && (
        <>
          <label className="field">
            <span className="field-label">Customer name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Message</span>
            <textarea
              value={text}
              rows={2}
              onChange={(e) => setText(e.target.value)}
              data-testid="dry-run-text"
            />
          </label>
        </>
      )}
      <label className="field field--inline">
        <input
          type="checkbox"
          checked={letTimersExpire}
          onChange={(e) => setLetTimersExpire(e.target.checked)}
        />
        <span className="field-label">Let deadlines pass (nobody acknowledges)</span>
      </label>
      <div className="dry-run-actions">
        <button type="button" onClick={run} disabled={running} data-testid="dry-run-start">
          {running ? 'Running…' : 'Run draft'}
        </button>
        {result && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setResult(null);
              onResult(null);
            }}
          >
            Clear
          </button>
        )}
      </div>
      {error && <p className="error">{error}</p>}
      {result && (
        <div className="dry-run-result" data-testid="dry-run-result">
          <p data-testid="dry-run-outcome">{result.outcome}</p>
          <ol className="dry-run-steps">
            {result.steps.map((s) => (
              <li
                key={s.serial}
                className={`dry-run-step dry-run-step--${s.status}`}
                data-testid="dry-run-step"
                data-node-id={s.nodeId}
              >
                <strong>{s.nodeId}</strong> <span className="muted">{s.status}</span>
                {s.output && (
                  <>
                    {' '}
                    → <code>{s.output}</code>
                  </>
                )}
                {s.error && <span className="field-error"> {s.error}</span>}
                <div className="muted dry-run-cause">{s.cause}</div>
                {s.effects.length > 0 && (
                  <ul className="dry-run-effects">
                    {s.effects.map((effect) => (
                      <li key={effect.key}>would {effect.type}</li>
                    ))}
                  </ul>
                )}
                {s.assignment && (
                  <div className="dry-run-assignment" data-testid="dry-run-assignment">
                    {s.assignment.explanation.summary}
                    {s.assignment.explanation.candidates.length > 0 && (
                      <ul>
                        {s.assignment.explanation.candidates.map((c) => (
                          <li key={c.agentId}>
                            {c.name}
                            {c.skipReason ? ` — skipped: ${c.skipReason}` : ''}
                          </li>
                        ))}
                      </ul>
                    )}
                  </div>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
