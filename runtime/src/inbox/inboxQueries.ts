import type {
  ConversationDetail,
  ConversationNote,
  ConversationSla,
  ConversationSummary,
  InboxQuery,
  ThreadMessage,
  TimelineEntry,
} from '@switchboard/shared';
import type { Actor } from '../access/identities';
import { roleAllows } from '../access/routePolicy';
import type { AppDatabase } from '../db/database';

interface SummaryRow {
  id: string;
  waId: string;
  name: string | null;
  status: 'open' | 'closed';
  priority: ConversationSummary['priority'];
  tags: string;
  assigneeAgentId: string | null;
  teamId: string | null;
  acknowledgedAt: number | null;
  preview: string | null;
  lastMessageAt: number | null;
  lastInboundAt: number | null;
  lastOutboundAt: number | null;
  slaTimerDueAt: number | null;
  slaClock: string | null;
}

/**
 * The earliest deadline of an SLA timer node still waiting in one of the conversation's executions:
 * when it started waiting plus its target (from the version's graph; the node's default is 60 min).
 */
const SLA_TIMER_DUE_AT = `(
  SELECT min(s.at + 60000 * coalesce(
           (SELECT json_extract(n.value, '$.config.targetMinutes')
              FROM workflow_versions v, json_each(v.graph, '$.nodes') n
             WHERE v.id = e.workflow_version_id AND json_extract(n.value, '$.id') = s.node_id), 60))
    FROM execution_steps s JOIN executions e ON e.id = s.execution_id
   WHERE e.conversation_id = c.id AND s.node_type = 'flow.slaTimer' AND s.status = 'waiting'
     AND NOT EXISTS (SELECT 1 FROM execution_steps later
                      WHERE later.execution_id = s.execution_id AND later.node_id = s.node_id
                        AND later.at >= s.at AND later.status <> 'waiting'))`;

/**
 * The SLA policy clock of the current open period that falls due first: one still running, or one
 * already breached and still not stopped (the customer still waits, or the conversation is still
 * unresolved). A breached clock that was stopped later (a late reply) is history, not work to do;
 * paused clocks (outside business hours) are left out like the policy's own alerts leave them out.
 */
const SLA_CLOCK = `(
  SELECT json_object('measure', k.measure, 'state', k.state, 'dueAt', k.due_at)
    FROM sla_clocks k
   WHERE k.conversation_id = c.id AND k.opened_at = c.opened_at AND c.status = 'open'
     AND k.due_at IS NOT NULL AND k.stopped_at IS NULL AND k.state IN ('running', 'breached')
   ORDER BY k.due_at, k.measure LIMIT 1)`;

const SUMMARY = `
  SELECT c.id, c.customer_wa_id AS waId, ct.name, c.status, c.priority, c.tags,
         c.assignee_agent_id AS assigneeAgentId, coalesce(c.team_id, b.team_id) AS teamId,
         c.acknowledged_at AS acknowledgedAt,
         (SELECT m.text FROM messages m WHERE m.conversation_id = c.id ORDER BY m.sent_at DESC, m.rowid DESC LIMIT 1) AS preview,
         (SELECT max(m.sent_at) FROM messages m WHERE m.conversation_id = c.id) AS lastMessageAt,
         (SELECT max(m.sent_at) FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound') AS lastInboundAt,
         (SELECT max(m.sent_at) FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'outbound') AS lastOutboundAt,
         ${SLA_TIMER_DUE_AT} AS slaTimerDueAt, ${SLA_CLOCK} AS slaClock
    FROM conversations c
    LEFT JOIN contacts ct ON ct.id = c.contact_id
    LEFT JOIN business_numbers b ON b.id = c.business_number_id`;

const MY_TEAMS = `(SELECT team_id FROM team_members WHERE agent_id = @me UNION SELECT id FROM teams WHERE lead_agent_id = @me)`;
const MENTIONS_ME = `EXISTS (SELECT 1 FROM notes n, json_each(n.mentions) j WHERE n.conversation_id = c.id AND j.value = @me)`;
/** What an agent may see at all (see visibility.ts); managers and admins see everything. */
const VISIBLE = `(@privileged = 1 OR c.assignee_agent_id = @me OR coalesce(c.team_id, b.team_id) IN ${MY_TEAMS} OR ${MENTIONS_ME})`;

const VIEWS: Record<InboxQuery['view'], string> = {
  mine: `c.assignee_agent_id = @me`,
  team: `coalesce(c.team_id, b.team_id) IN ${MY_TEAMS}`,
  unassigned: `c.assignee_agent_id IS NULL`,
  mentions: MENTIONS_ME,
  all: `1 = 1`,
};

/** The inbox lists and the conversation view, read straight from SQLite. */
export function createInboxQueries(db: AppDatabase) {
  const sqlite = db.$client;
  const lists = new Map(
    Object.entries(VIEWS).map(([view, condition]) => [
      view,
      sqlite.prepare<Record<string, unknown>, SummaryRow>(
        `SELECT * FROM (${SUMMARY} WHERE ${condition} AND ${VISIBLE}
            AND (@status IS NULL OR c.status = @status)
            AND (@priority IS NULL OR c.priority = @priority)
            AND (@tag IS NULL OR EXISTS (SELECT 1 FROM json_each(c.tags) t WHERE t.value = @tag)))
          WHERE (@waitingBefore IS NULL
             OR (lastInboundAt IS NOT NULL AND lastInboundAt > coalesce(lastOutboundAt, 0) AND lastInboundAt <= @waitingBefore))
            AND (@slaDueBefore IS NULL OR slaTimerDueAt <= @slaDueBefore
                 OR json_extract(slaClock, '$.state') = 'breached' OR json_extract(slaClock, '$.dueAt') <= @slaDueBefore)
          ORDER BY lastMessageAt DESC NULLS LAST, id LIMIT 200`,
      ),
    ]),
  );
  const one = sqlite.prepare<[string], SummaryRow>(`${SUMMARY} WHERE c.id = ?`);
  const messages = sqlite.prepare<
    [string],
    {
      id: string;
      direction: 'inbound' | 'outbound';
      type: string;
      text: string | null;
      payload: string;
      sentAt: number;
      status: ThreadMessage['status'];
      statusAt: number | null;
      statusErrors: string | null;
    }
  >(
    `SELECT id, direction, type, text, payload, sent_at AS sentAt, status, status_at AS statusAt, status_errors AS statusErrors
       FROM messages WHERE conversation_id = ? ORDER BY sent_at, rowid`,
  );
  const notes = sqlite.prepare<[string], Omit<ConversationNote, 'mentions'> & { mentions: string }>(
    `SELECT n.id, n.author_agent_id AS authorAgentId, a.name AS authorName, n.text, n.mentions, n.created_at AS createdAt
       FROM notes n LEFT JOIN agents a ON a.id = n.author_agent_id WHERE n.conversation_id = ? ORDER BY n.created_at, n.rowid`,
  );
  const assignments = sqlite.prepare<
    [string],
    { id: string; agentId: string | null; createdAt: number; explanation: string }
  >(
    `SELECT id, agent_id AS agentId, created_at AS createdAt, explanation FROM assignments
      WHERE conversation_id = ? ORDER BY created_at, rowid`,
  );
  const timeline = sqlite.prepare<[string], TimelineEntry>(
    `SELECT s.at, s.node_id AS nodeId, s.node_type AS nodeType, s.status, s.output, s.cause, s.error
       FROM execution_steps s JOIN executions e ON e.id = s.execution_id
      WHERE e.conversation_id = ? ORDER BY s.at, s.rowid LIMIT 500`,
  );

  return {
    list(actor: Actor, query: InboxQuery, now: number): ConversationSummary[] {
      const statement = lists.get(query.view);
      if (!statement) return [];
      return statement
        .all({
          me: actor.agentId,
          privileged: roleAllows(actor.role, 'manager') ? 1 : 0,
          status: query.status ?? null,
          priority: query.priority ?? null,
          tag: query.tag ?? null,
          waitingBefore: query.waitingMinutes === undefined ? null : now - query.waitingMinutes * 60_000,
          slaDueBefore:
            query.slaDueWithinMinutes === undefined ? null : now + query.slaDueWithinMinutes * 60_000,
        })
        .map((row) => toSummary(row, now));
    },

    summary(conversationId: string): ConversationSummary | null {
      const row = one.get(conversationId);
      return row ? toSummary(row, Date.now()) : null;
    },

    detail(conversationId: string): ConversationDetail | null {
      const row = one.get(conversationId);
      if (!row) return null;
      return {
        conversation: toSummary(row, Date.now()),
        messages: messages.all(conversationId).map((message) => {
          const media = mediaOf(message.type, message.payload);
          return {
            id: message.id,
            direction: message.direction,
            type: message.type,
            text: message.text,
            mediaId: media.id,
            caption: media.caption,
            sentAt: message.sentAt,
            status: message.status,
            statusAt: message.statusAt,
            failureReason: failureReason(message.statusErrors),
          };
        }),
        notes: notes.all(conversationId).map((note) => ({ ...note, mentions: JSON.parse(note.mentions) })),
        assignments: assignments
          .all(conversationId)
          .map((assignment) => ({ ...assignment, explanation: JSON.parse(assignment.explanation) })),
        timeline: timeline.all(conversationId),
      };
    },
  };
}

export type InboxQueries = ReturnType<typeof createInboxQueries>;

function toSummary(row: SummaryRow, now: number): ConversationSummary {
  const waiting = row.lastInboundAt !== null && row.lastInboundAt > (row.lastOutboundAt ?? 0);
  const sla = earliestSla(row, now);
  return {
    id: row.id,
    customer: { waId: row.waId, name: row.name },
    status: row.status,
    priority: row.priority,
    tags: JSON.parse(row.tags),
    assigneeAgentId: row.assigneeAgentId,
    teamId: row.teamId,
    acknowledgedAt: row.acknowledgedAt,
    preview: row.preview,
    lastMessageAt: row.lastMessageAt,
    waitingSince: waiting ? row.lastInboundAt : null,
    slaDueAt: sla?.dueAt ?? null,
    sla,
  };
}

/** The policy clock or workflow SLA timer due first; a clock past its due time counts as breached. */
function earliestSla(row: SummaryRow, now: number): ConversationSla | null {
  const clock = row.slaClock
    ? (JSON.parse(row.slaClock) as { measure: ConversationSla['measure']; state: string; dueAt: number })
    : null;
  const fromClock: ConversationSla | null = clock && {
    source: 'policy',
    measure: clock.measure,
    dueAt: clock.dueAt,
    breached: clock.state === 'breached' || clock.dueAt <= now,
  };
  const fromTimer: ConversationSla | null =
    row.slaTimerDueAt === null
      ? null
      : { source: 'timer', measure: null, dueAt: row.slaTimerDueAt, breached: row.slaTimerDueAt <= now };
  if (!fromClock || !fromTimer) return fromClock ?? fromTimer;
  return fromTimer.dueAt < fromClock.dueAt ? fromTimer : fromClock;
}

const MEDIA_TYPES = new Set(['image', 'audio', 'video', 'document', 'sticker']);

/** Inbound payloads are Meta's message objects: `{ type: 'image', image: { id, caption } }`. */
function mediaOf(type: string, payload: string): { id: string | null; caption: string | null } {
  if (!MEDIA_TYPES.has(type)) return { id: null, caption: null };
  try {
    const media = (JSON.parse(payload) as Record<string, { id?: unknown; caption?: unknown } | undefined>)[
      type
    ];
    return {
      id: typeof media?.id === 'string' ? media.id : null,
      caption: typeof media?.caption === 'string' ? media.caption : null,
    };
  } catch {
    return { id: null, caption: null };
  }
}

function failureReason(statusErrors: string | null): string | null {
  if (!statusErrors) return null;
  try {
    const errors = JSON.parse(statusErrors) as Array<{
      code?: number;
      title?: string;
      message?: string;
      error_data?: { details?: string };
    }>;
    if (!Array.isArray(errors) || errors.length === 0) return 'failed';
    return errors
      .map((error) =>
        [error.code, error.title ?? error.message, error.error_data?.details].filter(Boolean).join(' — '),
      )
      .join('; ');
  } catch {
    return statusErrors;
  }
}
