import type { ConversationNote, ThreadMessage } from '@switchboard/shared';
import { formatWhen } from '../format';

type Entry =
  | { kind: 'message'; at: number; message: ThreadMessage }
  | { kind: 'note'; at: number; note: ConversationNote };

const STATUS_MARKS: Record<NonNullable<ThreadMessage['status']>, string> = {
  sent: '✓ sent',
  delivered: '✓✓ delivered',
  read: '✓✓ read',
  failed: '⚠ failed',
};

/** The WhatsApp thread with internal notes woven in by time; notes look nothing like messages. */
export function Thread({ messages, notes }: { messages: ThreadMessage[]; notes: ConversationNote[] }) {
  const entries: Entry[] = [
    ...messages.map((message) => ({ kind: 'message' as const, at: message.sentAt, message })),
    ...notes.map((note) => ({ kind: 'note' as const, at: note.createdAt, note })),
  ].sort((a, b) => a.at - b.at);

  return (
    <ol className="thread" data-testid="thread">
      {entries.map((entry) =>
        entry.kind === 'message' ? (
          <MessageBubble key={`m-${entry.message.id}`} message={entry.message} />
        ) : (
          <li key={`n-${entry.note.id}`} className="thread-note" data-testid="thread-note">
            <span className="thread-note-label">Internal note · {entry.note.authorName ?? 'workflow'}</span>
            <p>{entry.note.text}</p>
            <time className="muted">{formatWhen(entry.note.createdAt)}</time>
          </li>
        ),
      )}
    </ol>
  );
}

function MessageBubble({ message }: { message: ThreadMessage }) {
  return (
    <li
      className={`bubble bubble--${message.direction}`}
      data-testid="thread-message"
      data-direction={message.direction}
    >
      {message.mediaId && (
        <a
          className="bubble-media"
          href={`/api/media/${encodeURIComponent(message.mediaId)}`}
          target="_blank"
          rel="noreferrer"
        >
          {message.type === 'image' || message.type === 'sticker' ? (
            <img
              src={`/api/media/${encodeURIComponent(message.mediaId)}`}
              alt={message.caption ?? message.type}
              loading="lazy"
            />
          ) : (
            `📎 ${message.type}`
          )}
        </a>
      )}
      {message.text ??
        message.caption ??
        (message.mediaId ? null : <span className="muted">[{message.type}]</span>)}
      <span className="bubble-meta">
        <time>{formatWhen(message.sentAt)}</time>
        {message.status && (
          <span className={`message-status message-status--${message.status}`} data-testid="message-status">
            {STATUS_MARKS[message.status]}
          </span>
        )}
      </span>
      {message.failureReason && <span className="error-text">{message.failureReason}</span>}
    </li>
  );
}
