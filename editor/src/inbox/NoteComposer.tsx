import { type KeyboardEvent, useRef, useState } from 'react';
import { useAgentsStore } from '../agents/store';
import type { AgentSummary } from '../api';
import { errorMessage } from '../api';
import { conversationActions } from './inboxApi';

/** The handle a note uses for a person: the part of their e-mail before the @ (the runtime resolves it). */
export function mentionHandle(agent: Pick<AgentSummary, 'email' | 'id'>): string {
  return agent.email.split('@')[0] || agent.id;
}

/** The "@frag" being typed just before the caret, if any. */
export function mentionFragment(text: string, caret: number): { start: number; fragment: string } | null {
  const match = /(^|[^\w@])@([\w.-]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  const fragment = match[2] ?? '';
  return { start: caret - fragment.length - 1, fragment };
}

export function mentionSuggestions(agents: AgentSummary[], fragment: string): AgentSummary[] {
  const wanted = fragment.toLowerCase();
  return agents
    .filter((agent) =>
      [agent.name, mentionHandle(agent), agent.id].some((value) => value.toLowerCase().includes(wanted)),
    )
    .slice(0, 6);
}

export function NoteComposer({ conversationId, onSaved }: { conversationId: string; onSaved: () => void }) {
  const agents = useAgentsStore((s) => s.agents);
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [highlight, setHighlight] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  const typing = mentionFragment(text, caret);
  const suggestions = typing ? mentionSuggestions(agents, typing.fragment) : [];

  const choose = (agent: AgentSummary) => {
    if (!typing) return;
    const inserted = `@${mentionHandle(agent)} `;
    const next = text.slice(0, typing.start) + inserted + text.slice(caret);
    const nextCaret = typing.start + inserted.length;
    setText(next);
    setCaret(nextCaret);
    setHighlight(0);
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.setSelectionRange(nextCaret, nextCaret);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggestions.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setHighlight((current) => (current + step + suggestions.length) % suggestions.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      const agent = suggestions[Math.min(highlight, suggestions.length - 1)];
      if (agent) choose(agent);
    }
  };

  const save = async () => {
    if (!text.trim()) return;
    try {
      await conversationActions.note(conversationId, text.trim());
      setText('');
      setError(null);
      onSaved();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <div className="note-composer">
      <label className="note-composer-label" htmlFor={`note-${conversationId}`}>
        Internal note (only your team sees it; type @ to mention someone)
      </label>
      <textarea
        id={`note-${conversationId}`}
        ref={input}
        value={text}
        rows={2}
        onChange={(event) => {
          setText(event.target.value);
          setCaret(event.target.selectionStart);
        }}
        onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        data-testid="note-input"
      />
      {suggestions.length > 0 && (
        <ul className="mention-suggestions" aria-label="People to mention" data-testid="mention-suggestions">
          {suggestions.map((agent, index) => (
            <li
              key={agent.id}
              className={index === highlight ? 'mention-suggestion--highlighted' : undefined}
            >
              <button
                type="button"
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(agent)}
                data-testid="mention-suggestion"
              >
                {agent.name} <span className="muted">@{mentionHandle(agent)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="button" onClick={() => void save()} disabled={!text.trim()} data-testid="save-note">
        Add note
      </button>
    </div>
  );
}
