import pino from 'pino';
import { createAssignmentViews } from '../../src/assignment/assignmentViews';
import { loadConfig } from '../../src/config';
import { createRoutedEventQueue } from '../../src/conversations/routedEventQueue';
import type { AppDatabase } from '../../src/db/database';
import { createEffectExecutor } from '../../src/effects/effectExecutor';
import type { LivePublisher } from '../../src/live/liveHub';
import { outboundSenderOptions } from '../../src/whatsapp/outbound/outboundSettings';

/** The router worker's effect executor on `db`, publishing to `live`: default settings, no mail. */
export function testEffectExecutor(db: AppDatabase, live: LivePublisher) {
  return createEffectExecutor({
    db,
    live,
    views: createAssignmentViews(db),
    events: createRoutedEventQueue(db, 8),
    whatsApp: outboundSenderOptions(loadConfig({})),
    mailer: null,
    log: pino({ level: 'silent' }),
    onQueued: () => {},
  });
}
