import type { ConversationChangeNews, Effect, EffectResult, StepEffectResult } from '@switchboard/shared';
import type { Logger } from 'pino';
import { AssignmentError, createAssignConversation } from '../assignment/assignConversation';
import type { AssignmentViews } from '../assignment/assignmentViews';
import type { RoutedEventQueue } from '../conversations/routedEventQueue';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';
import { createConversationNews, createNewsAudience } from '../inbox/conversationNews';
import { createLiveJournal, type LiveDelivery, type LivePublisher } from '../live/liveHub';
import { type CrashPoint, crashIfAsked } from '../routing/crashPoints';
import type { EffectOutcome } from '../routing/routingActivities';
import { createParkedStatusReplay } from '../whatsapp/deliveryStatuses';
import type { OutboundSenderOptions } from '../whatsapp/outbound/outboundSender';
import { createConversationEffects } from './conversationEffects';
import { createEffectResults } from './effectResults';
import { performHttpRequest } from './httpRequestEffect';
import type { Mailer } from './mailer';
import { createNotifier } from './notifications';
import { createWhatsAppSender } from './sendWhatsAppEffect';

export interface EffectExecutorDeps {
  db: AppDatabase;
  live: LivePublisher;
  views: AssignmentViews;
  events: RoutedEventQueue;
  whatsApp: OutboundSenderOptions;
  mailer: Mailer | null;
  log: Logger;
  /** Wakes the dispatcher when an effect queued a routed event (a hand-off to another workflow). */
  onQueued: () => void;
  crashAt?: CrashPoint;
}

/** A failure retrying cannot cure: it becomes a failed execution instead of a retried activity. */
export class PermanentEffectError extends Error {}

/** A local effect failed in a batch run without savepoints: the batch must run again with them. */
class SavepointsNeeded extends Error {
  constructor(cause: unknown) {
    super('a local effect failed without a savepoint', { cause });
  }
}

/** Carries out one effect, idempotently by its key. */
export function createEffectExecutor(deps: EffectExecutorDeps) {
  const results = createEffectResults(deps.db);
  const assignConversation = createAssignConversation(deps.db);
  const conversationEffect = createConversationEffects(deps.db, results);
  const notify = createNotifier(deps.db, deps.live, deps.mailer, deps.log);
  const replayParkedStatuses = createParkedStatusReplay(deps.db, deps.events);
  const sendWhatsApp = createWhatsAppSender(deps.db, {
    ...deps.whatsApp,
    onStored: (waMessageId) => {
      if (replayParkedStatuses(waMessageId)) deps.onQueued();
    },
  });
  const news = createConversationNews(deps.db, deps.live);
  const newsDeliveries = createNewsAudience(deps.db);

  /** For effects that reach outside SQLite: the result is stored after the call succeeded. */
  async function once(effect: Effect, perform: () => Promise<EffectResult>): Promise<EffectResult> {
    const earlier = results.find(effect.key);
    if (earlier) return earlier;
    const result = await perform();
    // With the worker's event loop free while the runtime holds the lock (see writeWhenFree).
    await writeWhenFree(deps.db.$client, () => results.remember(effect.key, effect.conversationId, result));
    return result;
  }

  /**
   * Effects that only change SQLite: they run inside the caller's transaction. Assignments to push
   * are collected in `toPush`, other news for open pages in `changes`; both go out after the commit.
   * Without `savepoints`, an assignment that throws may leave part of its writes: the caller must
   * then roll the whole transaction back.
   */
  function runLocal(
    effect: LocalEffect,
    now: number,
    toPush: string[],
    changes: ConversationChangeNews[],
    savepoints: boolean,
  ): StepEffectResult {
    switch (effect.type) {
      case 'assign': {
        const { assignmentId, agentId } = savepoints
          ? assignConversation(effect, now)
          : assignConversation.withinTransaction(effect, now);
        // Published on a retry too: the journal keeps one row per once-key, and the runtime sends
        // it then if a crash came between the commit and the push.
        if (agentId) toPush.push(assignmentId);
        changes.push({ conversationId: effect.conversationId, change: 'assigned' });
        // The explanation is stored with the assignment; the shard's history holds only what the
        // execution goes on with (about a third of its bytes per conversation were explanations).
        return { type: 'assign', assignmentId, agentId };
      }
      case 'tag':
      case 'setPriority':
      case 'setStatus': {
        // Closing or reopening moves the owner's open-conversation count behind the memo's back.
        if (effect.type === 'setStatus') assignConversation.forgetMemo();
        const change = effect.type === 'tag' ? 'tags' : effect.type === 'setPriority' ? 'priority' : 'status';
        changes.push({ conversationId: effect.conversationId, change });
        return conversationEffect(effect, now).result;
      }
    }
  }

  /** The views of a chunk's new assignments come from one query, not one per assignment. */
  function assignmentPushes(assignmentIds: string[]): LiveDelivery[] {
    return deps.views
      .createdMessagesByIds(assignmentIds)
      .flatMap(({ assignmentId, agentId, json }) =>
        agentId ? [{ agentId, json, onceKey: `assignment.created:${assignmentId}` }] : [],
      );
  }

  /**
   * A chunk's pushes and news are journaled in the chunk's own transaction, and the runtime is told
   * only how far the journal now goes (`journaledThrough`): it reads them from there and sends them.
   * They used to cross to the runtime as JSON (an assignment with its explanation, ~1.5 KB) and be
   * journaled there in a transaction of its own, which waited for the write lock the next chunk
   * held: at 1,000/s, from an assignment's decision to its journaling in the runtime took p50
   * 102–128 ms, p99 457–672 ms (a throwaway probe, `steady1000`). Three alternating pairs of
   * `steady1000`, assigned → pushed: p50 55–70 against 109–146 ms, p99 223–354 against 402–789. A
   * page reconnecting after a crash between commit and push finds the push in the journal.
   */
  const journal = createLiveJournal(deps.db);

  async function runRemote(effect: RemoteEffect, now: number): Promise<EffectResult> {
    switch (effect.type) {
      case 'note': {
        const { result, mentions } = await writeWhenFree(deps.db.$client, () =>
          conversationEffect(effect, now),
        );
        news(effect.conversationId, 'note');
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
              reason: 'mention',
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

  /**
   * Only errors that retrying cannot cure become a failed execution; the rest (a locked database, a
   * CRM that is down past its retries) fail the activity so that Temporal retries it.
   */
  function failedOutcome(effect: Effect, error: unknown): EffectOutcome {
    if (!(error instanceof AssignmentError || error instanceof PermanentEffectError)) throw error;
    deps.log.warn(
      { conversationId: effect.conversationId, key: effect.key, err: error },
      `${effect.type} failed`,
    );
    return { key: effect.key, conversationId: effect.conversationId, ok: false, error: error.message };
  }

  const succeeded = (effect: Effect, result: StepEffectResult): EffectOutcome => ({
    key: effect.key,
    conversationId: effect.conversationId,
    ok: true,
    result,
  });

  const commitLocal = deps.db.$client.transaction(
    (effects: Effect[], now: number, before: () => void, savepoints: boolean) => {
      const outcomes: EffectOutcome[] = new Array(effects.length);
      const toPush: string[] = [];
      const changes: ConversationChangeNews[] = [];
      before();
      // One write transaction for the batch: its decisions read each team's roster once.
      assignConversation.withinMemo(() =>
        effects.forEach((effect, i) => {
          if (!isLocal(effect)) return;
          try {
            outcomes[i] = succeeded(effect, runLocal(effect, now, toPush, changes, savepoints));
          } catch (error) {
            if (!savepoints) throw new SavepointsNeeded(error);
            outcomes[i] = failedOutcome(effect, error);
          }
        }),
      );
      const deliveries: LiveDelivery[] = [...assignmentPushes(toPush), ...newsDeliveries(changes)];
      return { outcomes, journaledThrough: journal.appendWithin(deliveries, now) };
    },
  );

  /**
   * A batch's local effects commit first without a savepoint each: an assignment's savepoint
   * copied every page it touched before changing it. Should one of them fail, the batch is rolled
   * back and run again with savepoints, so that the failure is that effect's alone.
   */
  async function commitLocalEffects(effects: Effect[], now: number, before: () => void) {
    const commit = (savepoints: boolean) =>
      writeWhenFree(deps.db.$client, () => commitLocal.immediate(effects, now, before, savepoints));
    try {
      return await commit(false);
    } catch (error) {
      if (!(error instanceof SavepointsNeeded)) throw error;
      return await commit(true);
    }
  }

  /**
   * Carries out a batch of effects, each idempotent by its key. `before` (the trace) and every
   * database-only effect commit in one transaction: one commit per batch instead of one per effect.
   * Effects that reach outside (notifications, HTTP, WhatsApp) follow, in order.
   */
  return async function applyAll(
    effects: Effect[],
    now: number,
    before: () => void,
  ): Promise<EffectOutcome[]> {
    const { outcomes, journaledThrough } = await commitLocalEffects(effects, now, before);
    if (effects.some((effect) => effect.type === 'assign')) crashIfAsked(deps.crashAt, 'after-assign-commit');
    if (journaledThrough > 0) deps.live.journaledThrough(journaledThrough);
    for (const [i, effect] of effects.entries()) {
      if (isLocal(effect)) continue;
      try {
        outcomes[i] = succeeded(effect, await runRemote(effect, now));
      } catch (error) {
        outcomes[i] = failedOutcome(effect, error);
      }
    }
    return outcomes;
  };
}

type LocalEffect = Extract<Effect, { type: 'assign' | 'tag' | 'setPriority' | 'setStatus' }>;
type RemoteEffect = Exclude<Effect, LocalEffect>;

function isLocal(effect: Effect): effect is LocalEffect {
  return (
    effect.type === 'assign' ||
    effect.type === 'tag' ||
    effect.type === 'setPriority' ||
    effect.type === 'setStatus'
  );
}
