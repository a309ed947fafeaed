import type { Effect, EffectResult } from '@switchboard/shared';
import type { Logger } from 'pino';
import { AssignmentError, createAssignConversation } from '../assignment/assignConversation';
import type { AssignmentViews } from '../assignment/assignmentViews';
import type { RoutedEventQueue } from '../conversations/routedEventQueue';
import type { AppDatabase } from '../db/database';
import type { LiveHub } from '../live/liveHub';
import { type CrashPoint, crashIfAsked } from '../routing/crashPoints';
import type { EffectOutcome } from '../routing/routingActivities';
import { createConversationEffects } from './conversationEffects';
import { createEffectResults } from './effectResults';
import { performHttpRequest } from './httpRequestEffect';
import type { Mailer } from './mailer';
import { createNotifier } from './notifications';
import { type CloudApiSettings, createWhatsAppSender } from './sendWhatsAppEffect';

export interface EffectExecutorDeps {
  db: AppDatabase;
  live: LiveHub;
  views: AssignmentViews;
  events: RoutedEventQueue;
  cloudApi: CloudApiSettings;
  mailer: Mailer | null;
  log: Logger;
  /** Wakes the dispatcher when an effect queued a routed event (a hand-off to another workflow). */
  onQueued: () => void;
  crashAt?: CrashPoint;
}

/** A failure retrying cannot cure: it becomes a failed execution instead of a retried activity. */
export class PermanentEffectError extends Error {}

/** Carries out one effect, idempotently by its key. */
export function createEffectExecutor(deps: EffectExecutorDeps) {
  const results = createEffectResults(deps.db);
  const assignConversation = createAssignConversation(deps.db);
  const conversationEffect = createConversationEffects(deps.db, results);
  const notify = createNotifier(deps.db, deps.live, deps.mailer, deps.log);
  const sendWhatsApp = createWhatsAppSender(deps.db, deps.cloudApi);

  /** For effects that reach outside SQLite: the result is stored after the call succeeded. */
  async function once(effect: Effect, perform: () => Promise<EffectResult>): Promise<EffectResult> {
    const earlier = results.find(effect.key);
    if (earlier) return earlier;
    const result = await perform();
    results.remember(effect.key, effect.conversationId, result);
    return result;
  }

  async function run(effect: Effect, now: number): Promise<EffectResult> {
    switch (effect.type) {
      case 'assign': {
        const decision = assignConversation(effect, now);
        crashIfAsked(deps.crashAt, 'after-assign-commit');
        if (decision.agentId) {
          const assignment = deps.views.byId(decision.assignmentId);
          // Re-published on a retry too: pages de-duplicate by id, and a crash may have come
          // between the commit and the first push.
          if (assignment) deps.live.publish(decision.agentId, { type: 'assignment.created', assignment });
        }
        const { assignmentId, agentId, explanation } = decision;
        return { type: 'assign', assignmentId, agentId, explanation };
      }
      case 'tag':
      case 'setPriority':
      case 'setStatus':
        return conversationEffect(effect, now).result;
      case 'note': {
        const { result, mentions } = conversationEffect(effect, now);
        if (mentions.length) {
          await notify(
            {
              key: `${effect.key}:mention`,
              conversationId: effect.conversationId,
              to: { kind: 'agents', agentIds: mentions },
              channels: ['in_app'],
              title: 'You were mentioned in a note',
              body: effect.text,
              slackWebhookUrl: null,
            },
            now,
          );
        }
        return result;
      }
      case 'notify':
        return once(effect, async () => {
          await notify({ ...effect }, now);
          return { type: 'done' };
        });
      case 'httpRequest':
        return once(effect, () => performHttpRequest(effect));
      case 'sendWhatsApp':
        return once(effect, () => sendWhatsApp(effect, now));
      case 'startWorkflow':
        return once(effect, async () => {
          const queued = deps.events.enqueue(
            effect.conversationId,
            { type: 'manual.run', occurredAt: now, requestedBy: `workflow:${effect.workflowVersionId}` },
            { workflowId: effect.workflowId },
          );
          if (!queued) throw new PermanentEffectError(`conversation ${effect.conversationId} does not exist`);
          deps.onQueued();
          return { type: 'done' };
        });
    }
  }

  return async function execute(effect: Effect, now: number): Promise<EffectOutcome> {
    try {
      return {
        key: effect.key,
        conversationId: effect.conversationId,
        ok: true,
        result: await run(effect, now),
      };
    } catch (error) {
      // Only errors that retrying cannot cure become a failed execution; the rest (a locked
      // database, a CRM that is down past its retries) fail the activity so that Temporal retries it.
      if (!(error instanceof AssignmentError || error instanceof PermanentEffectError)) throw error;
      deps.log.warn(
        { conversationId: effect.conversationId, key: effect.key, err: error },
        `${effect.type} failed`,
      );
      return { key: effect.key, conversationId: effect.conversationId, ok: false, error: error.message };
    }
  };
}
