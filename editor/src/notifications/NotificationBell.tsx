import { useState } from 'react';
import { navigate } from '../app/router';
import { conversationPath } from '../app/routes';
import { formatWhen } from '../format';
import { useNotifications } from './store';

export function NotificationBell() {
  const items = useNotifications((s) => s.items);
  const unread = useNotifications((s) => s.unread);
  const markAllRead = useNotifications((s) => s.markAllRead);
  const [open, setOpen] = useState(false);

  return (
    <div className="bell">
      <button
        type="button"
        className="bell-button"
        aria-label={`${unread} unread notifications`}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="notification-bell"
      >
        Alerts{' '}
        <span className={unread ? 'bell-count bell-count--unread' : 'bell-count'} data-testid="unread-count">
          {unread}
        </span>
      </button>
      {open && (
        <div className="bell-panel" data-testid="notification-panel">
          <div className="bell-panel-head">
            <strong>Notifications</strong>
            <button
              type="button"
              className="link-button"
              onClick={() => void markAllRead()}
              disabled={unread === 0}
            >
              Mark all read
            </button>
          </div>
          {items.length === 0 && <p className="muted">Nothing yet.</p>}
          <ul>
            {items.slice(0, 30).map((item) => (
              <li
                key={item.id}
                className={item.readAt ? 'bell-item' : 'bell-item bell-item--unread'}
                data-testid="notification-item"
              >
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setOpen(false);
                    if (item.conversationId) navigate(conversationPath(item.conversationId));
                  }}
                >
                  <strong>{item.title}</strong>
                </button>
                <p>{item.body}</p>
                <span className="muted">{formatWhen(item.createdAt)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
