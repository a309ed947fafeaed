import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';
import { createRollupWriter, type FactDimensions } from './rollup';

/**
 * Rows read per source in one batch. A batch is folded in one go, the event loop held throughout:
 * at 5,000, a tick at 1,000 conversations/s held the runtime for 200–300 ms every 5 s, every
 * webhook, signal and push behind it. The ticker lets go of the event loop between batches. Routing
 * bench, `burst,steady1000`, three alternating pairs: webhook send-to-stored p99 336 / 386 / 430 ms
 * at 5,000 against 94 / 190 / 94 at 500; end-to-end p99 1,973 / 1,066 / 2,489 against 880 / 1,445 / 976.
 */
export const FOLD_BATCH_ROWS = 500;
/** The `analytics_progress` row counting the fold's writes. */
const FOLD_GENERATION = 'fold_generation';

interface ConversationState {
  conversationId: string;
  openedAt: number | null;
  waitingSince: number | null;
  firstResponseAt: number | null;
  lastAssignedAgentId: string | null;
  acknowledgedAt: number | null;
  closedAt: number | null;
}

interface ConversationRow {
  businessNumberId: string;
  assigneeAgentId: string | null;
  teamId: string | null;
  tags: string;
  openedAt: number | null;
  workflowVersionId: string | null;
}

/**
 * Folds new facts into the hourly rollups, a batch at a time, behind a high-water mark per source:
 * messages and assignments by rowid, acknowledgements and closes by their time (re-reading the last
 * instant, with the per-conversation state telling what was already counted). A fact counts for the
 * conversation's agent, team, tags and workflow version as they stand when it is folded in — seconds
 * after it happened in live operation.
 */
export function createAnalyticsAggregator(db: AppDatabase) {
  const sqlite = db.$client;
  const rollups = createRollupWriter(db);
  const highWater = sqlite
    .prepare<[string], number | undefined>(`SELECT high_water FROM analytics_progress WHERE source = ?`)
    .pluck();
  const setHighWater = sqlite.prepare(
    `INSERT INTO analytics_progress (source, high_water) VALUES (?, ?)
     ON CONFLICT (source) DO UPDATE SET high_water = excluded.high_water`,
  );
  const newMessages = sqlite.prepare<
    [number, number],
    { seq: number; conversationId: string; direction: string; sentAt: number; authorAgentId: string | null }
  >(
    `SELECT rowid AS seq, conversation_id AS conversationId, direction, sent_at AS sentAt,
            author_agent_id AS authorAgentId
       FROM messages WHERE rowid > ? ORDER BY rowid LIMIT ?`,
  );
  const newAssignments = sqlite.prepare<
    [number, number],
    {
      seq: number;
      conversationId: string;
      agentId: string | null;
      teamId: string | null;
      nodeType: string | null;
      createdAt: number;
      workflowVersionId: string;
    }
  >(
    `SELECT a.rowid AS seq, a.conversation_id AS conversationId, a.agent_id AS agentId, a.team_id AS teamId,
            a.created_at AS createdAt, a.workflow_version_id AS workflowVersionId,
            (SELECT node_type FROM execution_steps s WHERE s.execution_id = a.execution_id AND s.node_id = a.node_id LIMIT 1) AS nodeType
       FROM assignments a WHERE a.rowid > ? ORDER BY a.rowid LIMIT ?`,
  );
  const newAcknowledgements = sqlite.prepare<[number, number], { id: string; at: number }>(
    `SELECT id, acknowledged_at AS at FROM conversations WHERE acknowledged_at >= ? ORDER BY acknowledged_at LIMIT ?`,
  );
  const newCloses = sqlite.prepare<[number, number], { id: string; at: number }>(
    `SELECT id, closed_at AS at FROM conversations WHERE closed_at >= ? AND status = 'closed' ORDER BY closed_at LIMIT ?`,
  );
  const conversation = sqlite.prepare<[string], ConversationRow>(
    `SELECT business_number_id AS businessNumberId, assignee_agent_id AS assigneeAgentId, team_id AS teamId, tags,
            opened_at AS openedAt,
            (SELECT workflow_version_id FROM executions e WHERE e.conversation_id = c.id ORDER BY started_at DESC LIMIT 1)
              AS workflowVersionId
       FROM conversations c WHERE id = ?`,
  );
  const loadState = sqlite.prepare<[string], ConversationState>(
    `SELECT conversation_id AS conversationId, opened_at AS openedAt, waiting_since AS waitingSince,
            first_response_at AS firstResponseAt, last_assigned_agent_id AS lastAssignedAgentId,
            acknowledged_at AS acknowledgedAt, closed_at AS closedAt
       FROM analytics_conversations WHERE conversation_id = ?`,
  );
  const saveState = sqlite.prepare(
    `INSERT OR REPLACE INTO analytics_conversations
       (conversation_id, opened_at, waiting_since, first_response_at, last_assigned_agent_id, acknowledged_at, closed_at)
     VALUES (@conversationId, @openedAt, @waitingSince, @firstResponseAt, @lastAssignedAgentId, @acknowledgedAt, @closedAt)`,
  );

  /** Per batch: conversations and their state read once, state written back once. */
  function batchContext() {
    const conversations = new Map<string, (ConversationRow & { dims: FactDimensions }) | null>();
    const states = new Map<string, ConversationState>();
    return {
      conversation(id: string) {
        if (!conversations.has(id)) {
          const row = conversation.get(id);
          conversations.set(
            id,
            row
              ? {
                  ...row,
                  dims: {
                    agentId: row.assigneeAgentId,
                    teamId: row.teamId,
                    businessNumberId: row.businessNumberId,
                    workflowVersionId: row.workflowVersionId,
                    tags: JSON.parse(row.tags) as string[],
                  },
                }
              : null,
          );
        }
        return conversations.get(id) ?? null;
      },
      state(id: string): ConversationState {
        let state = states.get(id);
        if (!state) {
          state = loadState.get(id) ?? {
            conversationId: id,
            openedAt: null,
            waitingSince: null,
            firstResponseAt: null,
            lastAssignedAgentId: null,
            acknowledgedAt: null,
            closedAt: null,
          };
          states.set(id, state);
        }
        return state;
      },
      save() {
        for (const state of states.values()) saveState.run(state);
      },
    };
  }

  /**
   * One batch as read: the rollup deltas, the conversations' new state and the new high-water
   * marks, with the marks it started from (a write that finds them moved is stale).
   */
  function foldWork() {
    const startedFrom = new Map<string, number>();
    return {
      batch: rollups(),
      context: batchContext(),
      startedFrom,
      marks: new Map<string, number>(),
      rowsRead: 0,
      /** The high-water mark of `source`, noted as where this batch started. */
      from(source: string): number {
        const mark = highWater.get(source) ?? 0;
        startedFrom.set(source, mark);
        return mark;
      },
    };
  }
  type FoldWork = ReturnType<typeof foldWork>;

  function foldMessages(work: FoldWork): number {
    const { batch, context } = work;
    const rows = newMessages.all(work.from('messages'), FOLD_BATCH_ROWS);
    work.rowsRead += rows.length;
    for (const message of rows) {
      const found = context.conversation(message.conversationId);
      if (!found) continue;
      const state = context.state(message.conversationId);
      if (found.openedAt !== null && state.openedAt !== found.openedAt) {
        // A new open period (first message, or a reopen): its first response is still to come.
        batch.add(found.openedAt, found.dims, { opened: 1 });
        state.openedAt = found.openedAt;
        state.firstResponseAt = null;
      }
      if (message.direction === 'inbound') {
        batch.add(message.sentAt, found.dims, { inbound: 1 });
        state.waitingSince ??= message.sentAt;
        continue;
      }
      batch.add(message.sentAt, found.dims, { outbound: 1 });
      // Response times measure people: a workflow's send (no author) leaves the customer waiting.
      if (message.authorAgentId === null || state.waitingSince === null) continue;
      const waited = Math.max(0, message.sentAt - state.waitingSince);
      batch.add(message.sentAt, found.dims, { responses: 1, response_ms: waited });
      if (state.firstResponseAt === null) {
        batch.add(message.sentAt, found.dims, { first_responses: 1, first_response_ms: waited });
        state.firstResponseAt = message.sentAt;
      }
      state.waitingSince = null;
    }
    const last = rows.at(-1);
    if (last) work.marks.set('messages', last.seq);
    return rows.length;
  }

  function foldAssignments(work: FoldWork): number {
    const { batch, context } = work;
    const rows = newAssignments.all(work.from('assignments'), FOLD_BATCH_ROWS);
    work.rowsRead += rows.length;
    for (const assignment of rows) {
      const found = context.conversation(assignment.conversationId);
      if (!found) continue;
      const state = context.state(assignment.conversationId);
      const dims = {
        ...found.dims,
        agentId: assignment.agentId,
        teamId: assignment.teamId ?? found.dims.teamId,
        workflowVersionId: assignment.workflowVersionId,
      };
      const reassigned =
        assignment.agentId !== null &&
        state.lastAssignedAgentId !== null &&
        state.lastAssignedAgentId !== assignment.agentId;
      batch.add(assignment.createdAt, dims, { assignments: 1, reassignments: reassigned ? 1 : 0 });
      if (assignment.nodeType === 'flow.escalationLadder')
        batch.escalate(assignment.createdAt, dims, 'not acknowledged in time');
      if (assignment.agentId) state.lastAssignedAgentId = assignment.agentId;
    }
    const last = rows.at(-1);
    if (last) work.marks.set('assignments', last.seq);
    return rows.length;
  }

  /** Acknowledgements and closes: by time, re-reading the last instant; the state skips repeats. */
  function foldMoments(work: FoldWork, source: 'acknowledged' | 'closed'): number {
    const { batch, context } = work;
    const query = source === 'acknowledged' ? newAcknowledgements : newCloses;
    const rows = query.all(work.from(source), FOLD_BATCH_ROWS);
    work.rowsRead += rows.length;
    let counted = 0;
    for (const row of rows) {
      const found = context.conversation(row.id);
      const state = context.state(row.id);
      const seen = source === 'acknowledged' ? state.acknowledgedAt : state.closedAt;
      if (!found || seen === row.at) continue;
      counted++;
      const took = Math.max(0, row.at - (found.openedAt ?? row.at));
      if (source === 'acknowledged') {
        batch.add(row.at, found.dims, { acknowledgements: 1, acknowledgement_ms: took });
        state.acknowledgedAt = row.at;
      } else {
        batch.add(row.at, found.dims, { closed: 1, resolutions: 1, resolution_ms: took });
        state.closedAt = row.at;
      }
    }
    const last = rows.at(-1);
    if (last) work.marks.set(source, last.at);
    return counted;
  }

  /**
   * Reads and folds a batch in one snapshot, without the write lock: the fold is most of the work,
   * and holding the lock through it (up to 400 ms a batch at 2,000 conversations/s) kept webhook
   * intake and the router worker from committing meanwhile.
   */
  const readBatch = sqlite.transaction(() => {
    const work = foldWork();
    // Every write moves it: a batch whose rows another fold counted meanwhile is stale even when
    // no source's mark moved (an acknowledgement at the very instant of the last one).
    work.from(FOLD_GENERATION);
    const folded =
      foldMessages(work) +
      foldAssignments(work) +
      foldMoments(work, 'acknowledged') +
      foldMoments(work, 'closed');
    return { work, folded };
  });
  /** Writes a batch's result; false, writing nothing, when another fold wrote since it was read. */
  const writeBatch = sqlite.transaction((work: FoldWork): boolean => {
    for (const [source, mark] of work.startedFrom) if ((highWater.get(source) ?? 0) !== mark) return false;
    work.context.save();
    work.batch.flush();
    for (const [source, mark] of work.marks) setHighWater.run(source, mark);
    setHighWater.run(FOLD_GENERATION, (work.startedFrom.get(FOLD_GENERATION) ?? 0) + 1);
    return true;
  });

  /**
   * Folds what is new, at most `maxBatches` batches (each of up to FOLD_BATCH_ROWS rows per source), so a
   * server starting over a large history is not blocked. Yields each batch read; the caller writes
   * it and sends back whether it was written. Returns the facts counted.
   */
  function* foldBatches(maxBatches: number): Generator<FoldWork, number, boolean> {
    let total = 0;
    for (let batches = 0; batches < maxBatches; batches++) {
      const { work, folded } = readBatch();
      if (work.rowsRead === 0) break;
      // Stale: another fold counted these rows first. Read again from where it left off.
      if (!(yield work)) continue;
      total += folded;
      if (folded === 0) break;
    }
    return total;
  }

  return {
    /** Folds now; each write waits for the lock inside SQLite (busy_timeout) if need be. */
    catchUp(maxBatches = Number.POSITIVE_INFINITY): number {
      const batches = foldBatches(maxBatches);
      let next = batches.next();
      while (!next.done) next = batches.next(writeBatch.immediate(next.value));
      return next.value;
    },
    /**
     * The same for the ticker, each write waiting for the lock with the event loop free
     * (writeWhenFree), and the event loop let go between batches (requests, sockets and signals
     * go first): a fold from a dashboard request may run meanwhile and make the batch stale.
     */
    async catchUpWhenFree(maxBatches = Number.POSITIVE_INFINITY): Promise<number> {
      const batches = foldBatches(maxBatches);
      let next = batches.next();
      while (!next.done) {
        const work = next.value;
        const written = await writeWhenFree(sqlite, () => writeBatch.immediate(work));
        await new Promise<void>((resolve) => setImmediate(resolve));
        next = batches.next(written);
      }
      return next.value;
    },
  };
}
export type AnalyticsAggregator = ReturnType<typeof createAnalyticsAggregator>;
