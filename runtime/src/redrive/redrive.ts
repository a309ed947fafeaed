import type { RoutedEvent } from '@switchboard/shared';
import type { ConversationEventInput, RoutedEventQueue } from '../conversations/routedEventQueue';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';

/** Event types that start executions; acknowledgements and replies only mattered to what was live then. */
const REDRIVEN_TYPES = [
  'message.received',
  'conversation.tagChanged',
  'message.deliveryFailed',
  'manual.run',
];

export interface RedriveRequest {
  workflowId: string;
  from: number;
  to: number;
  /** Report what would be re-driven without queueing anything. */
  dryRun: boolean;
  requestedBy: string | null;
}

export interface RedriveReport {
  workflowVersionId: string;
  considered: number;
  redriven: { originalSeq: number; conversationId: string; type: string }[];
  skipped: { alreadyRouted: number; alreadyAssigned: number; alreadyRedriven: number };
  dryRun: boolean;
}

interface CandidateRow {
  seq: number;
  conversationId: string;
  payload: string;
  routed: number;
  assigned: number;
  redriven: number;
}

export class RedriveError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * Re-processes a time range of recorded events through the workflow's current version, after an
 * outage dropped them. Idempotent by construction: an event that started an execution, whose
 * conversation was assigned after it, or that was re-driven before is skipped; a re-driven event
 * starts its execution under the original event's id, so its effects carry the keys the first
 * attempt would have used and the effect executor does each at most once.
 */
export function createRedrive(db: AppDatabase, events: RoutedEventQueue) {
  const sqlite = db.$client;
  const publishedVersion = sqlite
    .prepare<[string], string | null>(
      `SELECT published_version_id FROM workflows WHERE id = ? AND status = 'published'`,
    )
    .pluck();
  const candidates = sqlite.prepare<[{ workflowId: string; from: number; to: number }], CandidateRow>(
    `SELECT o.seq, o.conversation_id AS conversationId, o.payload,
            EXISTS (SELECT 1 FROM executions e WHERE e.id = o.conversation_id || ':' || o.seq) AS routed,
            EXISTS (SELECT 1 FROM assignments a
                     WHERE a.conversation_id = o.conversation_id AND a.created_at >= o.created_at) AS assigned,
            EXISTS (SELECT 1 FROM redrives r WHERE r.original_seq = o.seq) AS redriven
       FROM outbox o
      WHERE o.created_at >= @from AND o.created_at < @to
        AND json_extract(o.payload, '$.redriveOf') IS NULL
        AND json_extract(o.payload, '$.type') IN (${REDRIVEN_TYPES.map((type) => `'${type}'`).join(', ')})
        AND (json_extract(o.payload, '$.workflowVersionId') IS NULL
             OR json_extract(o.payload, '$.workflowVersionId') IN
                (SELECT id FROM workflow_versions WHERE workflow_id = @workflowId))
      ORDER BY o.seq`,
  );
  const lastSeq = sqlite.prepare<[], number>(`SELECT max(seq) FROM outbox`).pluck();
  const recordRedrive = sqlite.prepare(
    `INSERT INTO redrives (original_seq, conversation_id, redrive_seq, workflow_version_id, requested_by, requested_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );

  // One transaction: the copies and their `redrives` rows commit together, so a crash half-way
  // leaves nothing that a second attempt would queue twice.
  const run = sqlite.transaction((request: RedriveRequest, now: number): RedriveReport => {
    const versionId = publishedVersion.get(request.workflowId);
    if (!versionId)
      throw new RedriveError(
        'not_published',
        `workflow "${request.workflowId}" has no published version`,
        'workflowId',
      );
    const rows = candidates.all(request);
    const report: RedriveReport = {
      workflowVersionId: versionId,
      considered: rows.length,
      redriven: [],
      skipped: { alreadyRouted: 0, alreadyAssigned: 0, alreadyRedriven: 0 },
      dryRun: request.dryRun,
    };
    for (const row of rows) {
      if (row.redriven) report.skipped.alreadyRedriven += 1;
      else if (row.routed) report.skipped.alreadyRouted += 1;
      else if (row.assigned) report.skipped.alreadyAssigned += 1;
      else {
        const original = JSON.parse(row.payload) as Omit<RoutedEvent, 'seq'>;
        report.redriven.push({
          originalSeq: row.seq,
          conversationId: row.conversationId,
          type: original.type,
        });
        if (request.dryRun) continue;
        const { conversationId, businessNumberId, customerWaId, facts, workflowVersionId, ...event } =
          original;
        const input = { ...event, redriveOf: row.seq } as ConversationEventInput;
        if (!events.enqueue(conversationId, input, { workflowVersionId: versionId })) continue;
        recordRedrive.run(row.seq, conversationId, lastSeq.get(), versionId, request.requestedBy, now);
      }
    }
    return report;
  });

  // Reads before it writes: IMMEDIATE, waited for with the event loop free (see writeWhenFree).
  return (request: RedriveRequest): Promise<RedriveReport> =>
    writeWhenFree(sqlite, () => run.immediate(request, Date.now()));
}
