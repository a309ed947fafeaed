import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../api';
import {
  fetchReplyWindow,
  fetchTemplates,
  type MessageTemplate,
  type ReplyWindow,
  sendReply,
} from './inboxApi';
import { renderTemplatePreview, templateVariableCount, variableOfField } from './templateText';

function timeLeft(expiresAt: number, now: number): string {
  const minutes = Math.max(0, Math.floor((expiresAt - now) / 60_000));
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * Free-form text inside WhatsApp's 24-hour customer service window (with the time left), an approved
 * template outside it. Both depend on the reply service; without it the box says so.
 */
export function ReplyBox({ conversationId }: { conversationId: string }) {
  const [window, setWindow] = useState<ReplyWindow | 'unavailable' | null>(null);
  const [templates, setTemplates] = useState<MessageTemplate[] | 'unavailable' | null>(null);
  const [text, setText] = useState('');
  const [template, setTemplate] = useState('');
  const [variables, setVariables] = useState<string[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  const [invalidVariable, setInvalidVariable] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    let cancelled = false;
    fetchReplyWindow(conversationId)
      .then((value) => !cancelled && setWindow(value))
      .catch((error: unknown) => !cancelled && setStatus(errorMessage(error)));
    const tick = setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      cancelled = true;
      clearInterval(tick);
    };
  }, [conversationId]);

  useEffect(() => {
    if (window === null || window === 'unavailable' || window.open) return;
    fetchTemplates()
      .then(setTemplates)
      .catch((error: unknown) => setStatus(errorMessage(error)));
  }, [window]);

  if (window === null) return <div className="reply-box muted">Checking the reply window…</div>;
  if (window === 'unavailable') {
    return (
      <div className="reply-box reply-box--unavailable" data-testid="reply-unavailable">
        Replying from the inbox is not available on this server yet (no reply service is installed).
      </div>
    );
  }

  const send = async (reply: Parameters<typeof sendReply>[1]) => {
    try {
      await sendReply(conversationId, reply);
      setText('');
      setVariables((current) => current.map(() => ''));
      setInvalidVariable(null);
      setStatus('Sent');
    } catch (error) {
      // 400/422 name the field (e.g. template.variables.1 or template.variables): say which input.
      const field = error instanceof ApiError ? error.field : null;
      setInvalidVariable(variableOfField(field));
      setStatus(field ? `${errorMessage(error)} (${field})` : errorMessage(error));
    }
  };

  if (window.open) {
    return (
      <form
        className="reply-box"
        onSubmit={(event) => {
          event.preventDefault();
          if (text.trim()) void send({ type: 'text', text: text.trim() });
        }}
      >
        <span className="muted" data-testid="window-left">
          24-hour window: {window.expiresAt ? `${timeLeft(window.expiresAt, now)} left` : 'open'}
        </span>
        <textarea
          value={text}
          onChange={(event) => setText(event.target.value)}
          rows={2}
          aria-label="Reply"
          data-testid="reply-input"
        />
        <button type="submit" disabled={!text.trim()} data-testid="send-reply">
          Send
        </button>
        {status && <span className="muted">{status}</span>}
      </form>
    );
  }

  const chosen = Array.isArray(templates)
    ? templates.find((t) => `${t.name}|${t.language}` === template)
    : undefined;
  const variableCount = templateVariableCount(chosen?.body);

  return (
    <form
      className="reply-box"
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen)
          void send({
            type: 'template',
            template: {
              name: chosen.name,
              language: chosen.language,
              variables: Array.from({ length: variableCount }, (_, i) => (variables[i] ?? '').trim()),
            },
          });
      }}
    >
      <span className="muted" data-testid="window-closed">
        The 24-hour window is closed: only an approved template can be sent.
      </span>
      {templates === 'unavailable' ? (
        <span className="muted">No template service on this server yet.</span>
      ) : (
        <select
          value={template}
          onChange={(event) => {
            setTemplate(event.target.value);
            setVariables([]);
            setInvalidVariable(null);
            setStatus(null);
          }}
          aria-label="Template"
          data-testid="template-picker"
        >
          <option value="">Choose a template…</option>
          {(templates ?? []).map((t) => (
            <option key={`${t.name}|${t.language}`} value={`${t.name}|${t.language}`}>
              {t.name} ({t.language}){t.category ? ` · ${t.category}` : ''}
            </option>
          ))}
        </select>
      )}
      {chosen && variableCount > 0 && (
        <div className="template-variables">
          {placeholdersOf(variableCount).map((placeholder, i) => (
            <label key={placeholder}>
              {placeholder}
              <input
                value={variables[i] ?? ''}
                onChange={(event) => {
                  const value = event.target.value;
                  setVariables((current) => {
                    const next = Array.from({ length: variableCount }, (_, j) => current[j] ?? '');
                    next[i] = value;
                    return next;
                  });
                  if (invalidVariable === i) setInvalidVariable(null);
                }}
                aria-invalid={invalidVariable === i}
                data-testid="template-variable"
              />
            </label>
          ))}
        </div>
      )}
      {chosen?.body && (
        <p className="template-preview" data-testid="template-preview">
          {renderTemplatePreview(chosen.body, variables)}
        </p>
      )}
      <button type="submit" disabled={!chosen} data-testid="send-template">
        Send template
      </button>
      {status && (
        <span className="muted" role="status" data-testid="reply-status">
          {status}
        </span>
      )}
    </form>
  );
}

/** {{1}}, {{2}}…: a variable's placeholder is what it is known by. */
function placeholdersOf(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `{{${i + 1}}}`);
}
