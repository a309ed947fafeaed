import {
  type ConversationSla,
  type ConversationSummary,
  changedConversationIds,
  type InboxQuery,
  type InboxView,
  type SocketMessage,
} from '@switchboard/shared';
import { useCallback, useEffect, useState } from 'react';
import { useAgentsStore } from '../agents/store';
import { Link } from '../app/Link';
import { conversationPath } from '../app/routes';
import { hasRole, useSession } from '../auth/session';
import { formatWhen } from '../format';
import { useLiveFeed } from '../live/liveFeed';
import { ConversationView } from './ConversationView';
import { fetchInbox } from './inboxApi';
import { useLiveQuery } from './useLiveQuery';

const VIEWS: Array<{ view: InboxView; label: string }> = [
  { view: 'mine', label: 'Mine' },
  { view: 'team', label: 'My team' },
  { view: 'unassigned', label: 'Unassigned' },
  { view: 'mentions', label: 'Mentions' },
];

const listChanges = (message: SocketMessage) => changedConversationIds(message).length > 0;

export function InboxPage({ conversationId }: { conversationId: string | null }) {
  const user = useSession((s) => s.user);
  const socketStatus = useLiveFeed((s) => s.status);
  const loadAgents = useAgentsStore((s) => s.load);
  const [query, setQuery] = useState<InboxQuery>({ view: 'mine', status: 'open' });
  const load = useCallback((signal: AbortSignal) => fetchInbox(query, signal), [query]);
  const { data: conversations, error } = useLiveQuery(load, listChanges);

  useEffect(() => {
    void loadAgents();
  }, [loadAgents]);

  const views = hasRole(user, 'manager') ? [...VIEWS, { view: 'all' as const, label: 'All' }] : VIEWS;
  const set = (change: Partial<InboxQuery>) => setQuery((current) => ({ ...current, ...change }));

  return (
    <section className="page page--split inbox-page">
      <aside className="inbox-sidebar">
        <div className="inbox-sidebar-head">
          <h1>Inbox</h1>
          <span className={`socket-status socket-status--${socketStatus}`} data-testid="socket-status">
            {socketStatus}
          </span>
        </div>
        <div className="view-tabs" role="tablist">
          {views.map(({ view, label }) => (
            <button
              key={view}
              type="button"
              role="tab"
              aria-selected={query.view === view}
              className={query.view === view ? 'view-tab view-tab--active' : 'view-tab'}
              onClick={() => set({ view })}
              data-testid={`view-${view}`}
            >
              {label}
            </button>
          ))}
        </div>
        <div className="inbox-filters">
          <input
            placeholder="Tag"
            aria-label="Filter by tag"
            value={query.tag ?? ''}
            onChange={(event) => set({ tag: event.target.value.trim() || undefined })}
          />
          <select
            aria-label="Filter by priority"
            value={query.priority ?? ''}
            onChange={(event) =>
              set({ priority: (event.target.value || undefined) as InboxQuery['priority'] })
            }
          >
            <option value="">Any priority</option>
            <option value="urgent">Urgent</option>
            <option value="high">High</option>
            <option value="normal">Normal</option>
            <option value="low">Low</option>
          </select>
          <select
            aria-label="Filter by status"
            value={query.status ?? ''}
            onChange={(event) => set({ status: (event.target.value || undefined) as InboxQuery['status'] })}
          >
            <option value="">Open and closed</option>
            <option value="open">Open</option>
            <option value="closed">Closed</option>
          </select>
          <select
            aria-label="Filter by SLA"
            value={slaFilterValue(query)}
            onChange={(event) => set(slaFilter(event.target.value))}
          >
            <option value="">Any SLA</option>
            <option value="due:0">SLA breached</option>
            <option value="due:15">SLA due within 15 min</option>
            <option value="due:60">SLA due within 1 h</option>
            <option value="waiting:0">Waiting for a reply</option>
            <option value="waiting:15">Waiting over 15 min</option>
          </select>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {conversations && conversations.length === 0 && <p className="muted">Nothing here.</p>}
        <ul className="conversation-list" data-testid="conversation-list">
          {(conversations ?? []).map((conversation) => (
            <ConversationRow
              key={conversation.id}
              conversation={conversation}
              selected={conversation.id === conversationId}
            />
          ))}
        </ul>
      </aside>
      <div className="inbox-main">
        {conversationId ? (
          <ConversationView key={conversationId} conversationId={conversationId} />
        ) : (
          <p className="muted">Choose a conversation.</p>
        )}
      </div>
    </section>
  );
}

function slaFilterValue(query: InboxQuery): string {
  if (query.slaDueWithinMinutes !== undefined) return `due:${query.slaDueWithinMinutes}`;
  if (query.waitingMinutes !== undefined) return `waiting:${query.waitingMinutes}`;
  return '';
}

function slaFilter(value: string): Partial<InboxQuery> {
  const [kind, minutes] = value.split(':');
  return {
    slaDueWithinMinutes: kind === 'due' ? Number(minutes) : undefined,
    waitingMinutes: kind === 'waiting' ? Number(minutes) : undefined,
  };
}

function ConversationRow({
  conversation,
  selected,
}: {
  conversation: ConversationSummary;
  selected: boolean;
}) {
  const assignee = useAgentsStore((s) => s.agents.find((agent) => agent.id === conversation.assigneeAgentId));
  return (
    <li
      className={selected ? 'conversation-row conversation-row--selected' : 'conversation-row'}
      data-testid="conversation-row"
      data-conversation-id={conversation.id}
    >
      <Link href={conversationPath(conversation.id)}>
        <span className="conversation-row-head">
          <strong>{conversation.customer.name ?? conversation.customer.waId}</strong>
          {conversation.lastMessageAt && (
            <span className="muted">{formatWhen(conversation.lastMessageAt)}</span>
          )}
        </span>
        <span className="conversation-row-preview">{conversation.preview ?? ''}</span>
        <span className="conversation-row-facts">
          <span className={`priority priority--${conversation.priority}`}>{conversation.priority}</span>
          {conversation.tags.map((tag) => (
            <span key={tag} className="tag">
              {tag}
            </span>
          ))}
          <span className="muted">{assignee ? assignee.name : 'unassigned'}</span>
          {conversation.waitingSince && (
            <span className="waiting">waiting {formatWhen(conversation.waitingSince)}</span>
          )}
          {conversation.sla && (
            <span
              className={conversation.sla.breached ? 'sla sla--breached' : 'sla'}
              data-testid="sla-due"
              title={conversation.sla.source === 'policy' ? 'SLA policy clock' : 'Workflow SLA timer'}
            >
              {slaLabel(conversation.sla)}
            </span>
          )}
        </span>
      </Link>
    </li>
  );
}

const SLA_MEASURES = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
} as const;

function slaLabel(sla: ConversationSla): string {
  const what = sla.measure ? SLA_MEASURES[sla.measure] : 'SLA';
  return sla.breached ? `${what} breached ${formatWhen(sla.dueAt)}` : `${what} due ${formatWhen(sla.dueAt)}`;
}
