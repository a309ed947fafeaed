import pino from 'pino';
import { createAssignmentViews } from '../../src/assignment/assignmentViews';
import { createRoutedEventQueue } from '../../src/conversations/routedEventQueue';
import type { AppDatabase } from '../../src/db/database';
import type { Mailer } from '../../src/effects/mailer';
import { createNotifier } from '../../src/effects/notifications';
import { createConversationNews } from '../../src/inbox/conversationNews';
import { createInboxQueries } from '../../src/inbox/inboxQueries';
import type { InboxRoutesOptions } from '../../src/inbox/inboxRoutes';
import { createVisibility } from '../../src/inbox/visibility';
import type { LiveHub } from '../../src/live/liveHub';

/** The inbox routes' collaborators as the app wires them, over `db`, pushing to `live`. */
export function inboxRouteOptions(db: AppDatabase, live: LiveHub, mailer: Mailer | null): InboxRoutesOptions {
  return {
    db,
    queries: createInboxQueries(db),
    visibility: createVisibility(db),
    news: createConversationNews(db, live),
    notify: createNotifier(db, live, mailer, pino({ level: 'silent' })),
    live,
    assignments: createAssignmentViews(db),
    events: createRoutedEventQueue(db, 8),
    onQueued: () => {},
  };
}
