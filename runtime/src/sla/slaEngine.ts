import { evaluateSla, type SlaClock, type SlaPolicy, selectPolicy } from '@switchboard/nodes';
import type { Priority } from '@switchboard/shared';
import { createRollupWriter, type FactDimensions } from '../analytics/rollup';
import type { RoutedEventQueue } from '../conversations/routedEventQueue';
import type { AppDatabase } from '../db/database';
import type { SlaPolicyStore } from './slaPolicyStore';

interface ConversationRow {
  id: string;
  status: 'open' | 'closed';
  priority: Priority;
  teamId: string | null;
  assigneeAgentId: string | null;
  tags: string;
  businessNumberId: string;
  openedAt: number | null;
  closedAt: number | null;
  workflowVersionId: string | null;
}

interface StoredClock {
  measure: SlaClock['measure'];
  cycle: number;
  warningSentAt: number | null;
  breachSentAt: number | null;
  countedAt: number | null;
}

/**
 * Messages a slice of the scheduler reads. A slice is one transaction, the runtime's event loop and
 * the write lock held throughout: with one policy on, the 5,000 of a slice before (a tick's worth
 * at 1,000 new conversations/s) held webhooks, signals, pushes and the router worker's commits for
 * 323–530 ms every 5 s; 5,000 conversations in slices of 250 took 41–59 ms at the longest slice.
 */
const MESSAGE_SLICE = 250;
const MEASURE_LABEL = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
};

/**
 * The SLA scheduler: re-evaluates a conversation's clocks when a message arrives or leaves, when it
 * closes, and when a clock's next moment (warning, due time, window close) comes. Alerts go into the
 * outbox as `sla.alert` routed events, in the transaction that records them as sent, so each is
 * routed exactly once. Outcomes (met / breached) go into the rollups in the same transaction.
 */
export function createSlaEngine(db: AppDatabase, policies: SlaPolicyStore, events: RoutedEventQueue) {
  const sqlite = db.$client;
  const rollups = createRollupWriter(db);
  const highWater = sqlite
    .prepare<[string], number | undefined>(`SELECT high_water FROM analytics_progress WHERE source = ?`)
    .pluck();
  const setHighWater = sqlite.prepare(
    `INSERT INTO analytics_progress (source, high_water) VALUES (?, ?)
     ON CONFLICT (source) DO UPDATE SET high_water = excluded.high_water`,
  );
  // A slice of rowids per tick: a first start over a long history is spread over many ticks.
  const touchedByMessages = sqlite
    .prepare<[number, number], string>(
      `SELECT DISTINCT conversation_id FROM messages WHERE rowid > ? AND rowid <= ?`,
    )
    .pluck();
  const lastMessage = sqlite.prepare<[], number | null>(`SELECT max(rowid) FROM messages`).pluck();
  const closedSince = sqlite
    .prepare<[number], string>(`SELECT id FROM conversations WHERE closed_at >= ? AND status = 'closed'`)
    .pluck();
  const lastClose = sqlite.prepare<[], number | null>(`SELECT max(closed_at) FROM conversations`).pluck();
  const dueClocks = sqlite
    .prepare<[number], string>(
      `SELECT DISTINCT conversation_id FROM sla_clocks WHERE next_check_at IS NOT NULL AND next_check_at <= ?`,
    )
    .pluck();
  const conversation = sqlite.prepare<[string], ConversationRow>(
    `SELECT id, status, priority, team_id AS teamId, assignee_agent_id AS assigneeAgentId, tags,
            business_number_id AS businessNumberId, opened_at AS openedAt, closed_at AS closedAt,
            (SELECT workflow_version_id FROM executions e WHERE e.conversation_id = c.id ORDER BY started_at DESC LIMIT 1)
              AS workflowVersionId
       FROM conversations c WHERE id = ?`,
  );
  // Only agent replies set author_agent_id; a workflow's send is automation, not a response.
  const periodMessages = sqlite.prepare<
    [string, number],
    { direction: 'inbound' | 'outbound'; at: number; automated: 0 | 1 }
  >(
    `SELECT direction, sent_at AS at, (direction = 'outbound' AND author_agent_id IS NULL) AS automated
       FROM messages WHERE conversation_id = ? AND sent_at >= ? ORDER BY sent_at, rowid`,
  );
  const storedClocks = sqlite.prepare<[string, number], StoredClock>(
    `SELECT measure, cycle, warning_sent_at AS warningSentAt, breach_sent_at AS breachSentAt, counted_at AS countedAt
       FROM sla_clocks WHERE conversation_id = ? AND opened_at = ?`,
  );
  const clearStaleChecks = sqlite.prepare(
    `UPDATE sla_clocks SET next_check_at = NULL WHERE conversation_id = ? AND opened_at != ?`,
  );
  const saveClock = sqlite.prepare(
    `INSERT INTO sla_clocks (conversation_id, opened_at, measure, cycle, policy_id, state, started_at, target_ms,
                             elapsed_ms, warn_at, due_at, stopped_at, next_check_at, warning_sent_at, breach_sent_at,
                             counted_at, updated_at)
     VALUES (@conversationId, @openedAt, @measure, @cycle, @policyId, @state, @startedAt, @targetMs, @elapsedMs, @warnAt,
             @dueAt, @stoppedAt, @nextCheckAt, @warningSentAt, @breachSentAt, @countedAt, @now)
     ON CONFLICT DO UPDATE SET policy_id = excluded.policy_id, state = excluded.state, started_at = excluded.started_at,
       target_ms = excluded.target_ms, elapsed_ms = excluded.elapsed_ms, warn_at = excluded.warn_at,
       due_at = excluded.due_at, stopped_at = excluded.stopped_at, next_check_at = excluded.next_check_at,
       warning_sent_at = excluded.warning_sent_at, breach_sent_at = excluded.breach_sent_at,
       counted_at = excluded.counted_at, updated_at = excluded.updated_at`,
  );

  const evaluateConversation = (id: string, enabled: readonly SlaPolicy[], now: number): number => {
    const row = conversation.get(id);
    if (!row || row.openedAt === null) return 0;
    clearStaleChecks.run(id, row.openedAt);
    const tags = JSON.parse(row.tags) as string[];
    const policy = selectPolicy(enabled, { ...row, tags });
    if (!policy) return 0;
    const timeline = {
      openedAt: row.openedAt,
      messages: periodMessages
        .all(id, row.openedAt)
        .map((message) => ({ ...message, automated: message.automated === 1 })),
      closedAt: row.status === 'closed' ? row.closedAt : null,
    };
    const stored = new Map(
      storedClocks.all(id, row.openedAt).map((clock) => [`${clock.measure}:${clock.cycle}`, clock]),
    );
    const dims: FactDimensions = {
      agentId: row.assigneeAgentId,
      teamId: row.teamId,
      businessNumberId: row.businessNumberId,
      workflowVersionId: row.workflowVersionId,
      tags,
    };
    const batch = rollups();
    let alerts = 0;
    for (const clock of evaluateSla(policy, timeline, now)) {
      const before = stored.get(`${clock.measure}:${clock.cycle}`);
      let warningSentAt = before?.warningSentAt ?? null;
      let breachSentAt = before?.breachSentAt ?? null;
      let countedAt = before?.countedAt ?? null;
      // A closed conversation (or one found closed on a first start over old data) gets no alerts.
      const live =
        row.status === 'open' &&
        (clock.state === 'running' || clock.state === 'paused' || clock.state === 'breached');
      if (live && clock.warnAt !== null && clock.warnAt <= now && warningSentAt === null) {
        // A breach found late (the runtime was down) makes the warning moot.
        if (clock.state !== 'breached') {
          alert(row, policy.id, clock, 'warning', now);
          alerts++;
        }
        warningSentAt = now;
      }
      if (live && clock.state === 'breached' && clock.dueAt !== null && breachSentAt === null) {
        alert(row, policy.id, clock, 'breach', now);
        breachSentAt = now;
        alerts++;
      }
      if ((clock.state === 'met' || clock.state === 'breached') && countedAt === null) {
        const at = clock.state === 'met' ? (clock.stoppedAt ?? now) : (clock.dueAt ?? now);
        batch.add(at, dims, clock.state === 'met' ? { sla_met: 1 } : { sla_breached: 1 });
        if (clock.state === 'breached')
          batch.escalate(at, dims, `SLA breach: ${MEASURE_LABEL[clock.measure]}`);
        countedAt = now;
      }
      saveClock.run({
        conversationId: id,
        openedAt: row.openedAt,
        measure: clock.measure,
        cycle: clock.cycle,
        policyId: policy.id,
        state: clock.state,
        startedAt: clock.startedAt,
        targetMs: clock.targetMs,
        elapsedMs: clock.elapsedMs,
        warnAt: clock.warnAt,
        dueAt: clock.dueAt,
        stoppedAt: clock.stoppedAt,
        nextCheckAt: nextCheck(clock, warningSentAt, now),
        warningSentAt,
        breachSentAt,
        countedAt,
        now,
      });
    }
    batch.flush();
    return alerts;
  };

  function alert(
    row: ConversationRow,
    policyId: string,
    clock: SlaClock,
    level: 'warning' | 'breach',
    now: number,
  ) {
    events.enqueue(row.id, {
      type: 'sla.alert',
      occurredAt: now,
      level,
      measure: clock.measure,
      policyId,
      dueAt: clock.dueAt ?? now,
    });
  }

  const slice = sqlite.transaction((now: number, messagesOnly: boolean): SlaSlice => {
    const ids = new Set<string>();
    const messagesSeen = highWater.get('sla_messages') ?? 0;
    const messagesLast = lastMessage.get() ?? 0;
    const messagesTo = Math.min(messagesSeen + MESSAGE_SLICE, messagesLast);
    // The policies once per tick, not once per conversation: each is parsed (zod) as it is read.
    // With three, a tick took 80–87 instead of 118–133 µs per conversation (three alternating
    // pairs of 6 ticks over 5,000 conversations each). Without an enabled one no conversation can
    // have a clock that moves (`selectPolicy` finds none), so none is read: 0.1 against 11–17 µs.
    const enabled = policies.list().filter((policy) => policy.enabled);
    if (enabled.length > 0) {
      for (const id of touchedByMessages.all(messagesSeen, messagesTo)) ids.add(id);
      if (!messagesOnly) {
        for (const id of closedSince.all(highWater.get('sla_closed') ?? 0)) ids.add(id);
        for (const id of dueClocks.all(now)) ids.add(id);
      }
    }
    let alerts = 0;
    for (const id of ids) alerts += evaluateConversation(id, enabled, now);
    setHighWater.run('sla_messages', messagesTo);
    setHighWater.run('sla_closed', lastClose.get() ?? 0);
    return { alerts, more: messagesTo < messagesLast };
  });

  return {
    /**
     * Re-evaluates the conversations of the next MESSAGE_SLICE messages and, unless `messagesOnly`
     * (the later slices of a tick), what came due and what closed, in one transaction; `more` when
     * messages remain. (Closes and due clocks are read whole: they come at the pace of people and
     * deadlines, not of inbound traffic. Read once a tick: a due clock no policy matches any more
     * stays due, and would be read again by every slice.)
     */
    // IMMEDIATE, like the analytics fold: the lock first, so a busy one costs no reads.
    slice: (now: number, messagesOnly = false): SlaSlice => slice.immediate(now, messagesOnly),
    /** Every slice there is, at once; returns how many alerts went into the outbox. */
    tick(now: number): number {
      let alerts = 0;
      for (let first = true; ; first = false) {
        const done = slice.immediate(now, !first);
        alerts += done.alerts;
        if (!done.more) return alerts;
      }
    },
  };
}

export interface SlaSlice {
  /** Alerts queued in the outbox. */
  alerts: number;
  /** Messages remain past this slice's. */
  more: boolean;
}

/** The next moment the clock can change on its own: its warning, its due time, or the window closing. */
function nextCheck(clock: SlaClock, warningSentAt: number | null, now: number): number | null {
  if (clock.state !== 'running' && clock.state !== 'paused') return null;
  const moments = [warningSentAt === null ? clock.warnAt : null, clock.dueAt, clock.windowClosesAt].filter(
    (moment): moment is number => moment !== null && moment > now,
  );
  return moments.length > 0 ? Math.min(...moments) : null;
}
export type SlaEngine = ReturnType<typeof createSlaEngine>;
