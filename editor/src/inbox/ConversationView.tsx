import { changedConversationIds, type SocketMessage } from '@switchboard/shared';
import { useCallback, useState } from 'react';
import { useAgentsStore } from '../agents/store';
import { errorMessage } from '../api';
import { useSession } from '../auth/session';
import { formatDateTime } from '../format';
import { ExplanationDetails } from './ExplanationDetails';
import { conversationActions, fetchConversation } from './inboxApi';
import { NoteComposer } from './NoteComposer';
import { ReplyBox } from './ReplyBox';
import { Thread } from './Thread';
import { useLiveQuery } from './useLiveQuery';

export function ConversationView({ conversationId }: { conversationId: string }) {
  const user = useSession((s) => s.user);
  const agents = useAgentsStore((s) => s.agents);
  const load = useCallback(
    (signal: AbortSignal) => fetchConversation(conversationId, signal),
    [conversationId],
  );
  const affects = useCallback(
    (message: SocketMessage) => changedConversationIds(message).includes(conversationId),
    [conversationId],
  );
  const { data, error, reload } = useLiveQuery(load, affects);
  const [actionError, setActionError] = useState<string | null>(null);
  const [handOffTo, setHandOffTo] = useState('');
  const [handOffNote, setHandOffNote] = useState('');
  const [tagDraft, setTagDraft] = useState('');

  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setActionError(null);
      reload();
    } catch (caught) {
      setActionError(errorMessage(caught));
    }
  };

  if (error) {
    return (
      <p className="error" role="alert" data-testid="conversation-error">
        {error}
      </p>
    );
  }
  if (!data) return <p className="muted">Loading…</p>;
  const { conversation } = data;
  const mine = conversation.assigneeAgentId === user?.id;
  const myLatestAssignment = [...data.assignments]
    .reverse()
    .find((assignment) => assignment.agentId === user?.id);
  const assignee = agents.find((agent) => agent.id === conversation.assigneeAgentId);

  return (
    <article className="conversation" data-testid="conversation-view" data-conversation-id={conversation.id}>
      <header className="conversation-head">
        <div>
          <h2>{conversation.customer.name ?? conversation.customer.waId}</h2>
          <p className="muted">
            +{conversation.customer.waId} · {conversation.status} · assigned to{' '}
            <span data-testid="conversation-assignee">
              {assignee?.name ?? conversation.assigneeAgentId ?? 'nobody'}
            </span>
          </p>
        </div>
        <div className="conversation-actions">
          {mine && conversation.acknowledgedAt === null && (
            <button
              type="button"
              onClick={() => act(() => conversationActions.acknowledge(conversation.id))}
              data-testid="acknowledge"
            >
              Acknowledge
            </button>
          )}
          {mine && conversation.acknowledgedAt !== null && (
            <span className="acknowledged" data-testid="acknowledged">
              Acknowledged {formatDateTime(conversation.acknowledgedAt)}
            </span>
          )}
          {conversation.status === 'open' ? (
            <button
              type="button"
              onClick={() => act(() => conversationActions.close(conversation.id))}
              data-testid="close"
            >
              Close
            </button>
          ) : (
            <button
              type="button"
              onClick={() => act(() => conversationActions.reopen(conversation.id))}
              data-testid="reopen"
            >
              Reopen
            </button>
          )}
        </div>
      </header>
      {actionError && (
        <p className="error" role="alert" data-testid="action-error">
          {actionError}
        </p>
      )}
      <div className="conversation-facts">
        <label>
          Priority{' '}
          <select
            value={conversation.priority}
            onChange={(event) =>
              act(() => conversationActions.change(conversation.id, { priority: event.target.value }))
            }
            data-testid="priority"
          >
            <option value="low">low</option>
            <option value="normal">normal</option>
            <option value="high">high</option>
            <option value="urgent">urgent</option>
          </select>
        </label>
        <span className="tags" data-testid="tags">
          {conversation.tags.map((tag) => (
            <span key={tag} className="tag">
              {tag}{' '}
              <button
                type="button"
                className="link-button"
                aria-label={`Remove tag ${tag}`}
                onClick={() =>
                  act(() =>
                    conversationActions.change(conversation.id, {
                      tags: conversation.tags.filter((t) => t !== tag),
                    }),
                  )
                }
              >
                ×
              </button>
            </span>
          ))}
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              const tag = tagDraft.trim();
              if (!tag) return;
              setTagDraft('');
              void act(() =>
                conversationActions.change(conversation.id, { tags: [...conversation.tags, tag] }),
              );
            }}
          >
            <input
              value={tagDraft}
              onChange={(event) => setTagDraft(event.target.value)}
              placeholder="Add tag"
              aria-label="Add tag"
            />
          </form>
        </span>
      </div>

      {myLatestAssignment && (
        <details className="explanation">
          <summary>Why was this assigned to me?</summary>
          <ExplanationDetails explanation={myLatestAssignment.explanation} viewerId={user?.id ?? ''} />
        </details>
      )}

      <Thread messages={data.messages} notes={data.notes} />
      <ReplyBox conversationId={conversation.id} />
      <NoteComposer conversationId={conversation.id} onSaved={reload} />

      <form
        className="hand-off"
        onSubmit={(event) => {
          event.preventDefault();
          if (!handOffTo) return;
          void act(() => conversationActions.handOff(conversation.id, handOffTo, handOffNote.trim())).then(
            () => {
              setHandOffNote('');
            },
          );
        }}
      >
        <strong>Hand off</strong>
        <select
          value={handOffTo}
          onChange={(event) => setHandOffTo(event.target.value)}
          aria-label="Hand off to"
          data-testid="hand-off-agent"
        >
          <option value="">Choose a person…</option>
          {agents
            .filter((agent) => agent.id !== conversation.assigneeAgentId)
            .map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name} ({agent.status})
              </option>
            ))}
        </select>
        <input
          value={handOffNote}
          onChange={(event) => setHandOffNote(event.target.value)}
          placeholder="Note for them"
          aria-label="Hand-off note"
        />
        <button type="submit" disabled={!handOffTo}>
          Hand off
        </button>
      </form>

      <details className="timeline" data-testid="timeline">
        <summary>Workflow timeline ({data.timeline.length})</summary>
        <ol>
          {data.timeline.map((entry) => (
            <li key={`${entry.at}-${entry.nodeId}-${entry.status}`}>
              <time className="muted">{formatDateTime(entry.at)}</time> <code>{entry.nodeId}</code> (
              {entry.nodeType}) → {entry.output ?? entry.status}
              {entry.cause && <span className="muted"> · {entry.cause}</span>}
              {entry.error && <span className="error-text"> · {entry.error}</span>}
            </li>
          ))}
        </ol>
      </details>
    </article>
  );
}
