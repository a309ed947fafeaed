import { createHash, randomUUID } from 'node:crypto';
import {
  canonicalGraph,
  type RunningExecutionsPolicy,
  type VersionSummary,
  type WorkflowGraph,
  type WorkflowVersion,
  workflowGraphSchema,
} from '@switchboard/shared';
import type { AppDatabase } from '../db/database';
import { writeWhenFree } from '../db/writeLock';
import type { SafePointMove } from '../routing/safePointMoves';

export function contentHashOf(graph: WorkflowGraph): string {
  return createHash('sha256').update(canonicalGraph(graph)).digest('hex');
}

interface VersionRow {
  id: string;
  workflow_id: string;
  number: number;
  graph: string;
  content_hash: string;
  note: string;
  published_by: string | null;
  published_at: number;
  running_executions: RunningExecutionsPolicy;
}

export interface WorkflowSummary {
  id: string;
  name: string;
  status: 'draft' | 'published' | 'archived';
  publishedVersion: WorkflowVersion | null;
}

/** Workflows and their immutable published versions. */
export function createWorkflowStore(db: AppDatabase) {
  const sqlite = db.$client;
  const versionById = sqlite.prepare<[string], VersionRow>(`SELECT * FROM workflow_versions WHERE id = ?`);
  const listWorkflows = sqlite.prepare<
    [],
    { id: string; name: string; status: WorkflowSummary['status']; published_version_id: string | null }
  >(
    `SELECT id, name, status, published_version_id FROM workflows WHERE status != 'archived' ORDER BY created_at, id`,
  );
  const nextNumber = sqlite
    .prepare<[string], number>(
      `SELECT coalesce(max(number), 0) + 1 FROM workflow_versions WHERE workflow_id = ?`,
    )
    .pluck();
  const insertWorkflow = sqlite.prepare(
    `INSERT INTO workflows (id, name, status, updated_at) VALUES (?, ?, 'draft', ?)`,
  );
  const insertVersion = sqlite.prepare(
    `INSERT INTO workflow_versions
       (id, workflow_id, number, graph, content_hash, note, published_by, published_at, running_executions)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Publishing is the edit that matters most, so the workflow list's "last edited" names it too.
  const markPublished = sqlite.prepare<[string, string | null, number, number, string]>(
    `UPDATE workflows
        SET status = 'published', published_version_id = ?, last_edited_by = ?, last_edited_at = ?, updated_at = ?
      WHERE id = ?`,
  );

  const versionRows = sqlite.prepare<[string], VersionRow & { live: number; conversations: number }>(
    `SELECT v.*,
            (SELECT count(*) FROM executions e
              WHERE e.workflow_version_id = v.id AND e.status IN ('running', 'waiting')) AS live,
            (SELECT count(DISTINCT e.conversation_id) FROM executions e
              WHERE e.workflow_version_id = v.id AND e.status IN ('running', 'waiting')) AS conversations
       FROM workflow_versions v WHERE v.workflow_id = ? ORDER BY v.number DESC`,
  );
  const newestMoves = sqlite.prepare<[], { workflow_id: string; id: string; number: number }>(
    `SELECT workflow_id, id, max(number) AS number FROM workflow_versions
      WHERE running_executions = 'move_at_safe_point' GROUP BY workflow_id ORDER BY workflow_id`,
  );
  const earlierVersions = sqlite.prepare<[string, number], { versionId: string; number: number }>(
    `SELECT id AS versionId, number FROM workflow_versions WHERE workflow_id = ? AND number < ? ORDER BY number`,
  );
  const versionByNumber = sqlite.prepare<[string, number], VersionRow>(
    `SELECT * FROM workflow_versions WHERE workflow_id = ? AND number = ?`,
  );

  const publish = sqlite.transaction(
    (
      workflowId: string,
      graph: WorkflowGraph,
      note: string,
      publishedBy: string | null,
      now: number,
      runningExecutions: RunningExecutionsPolicy = 'stay',
    ) => {
      const version: WorkflowVersion = {
        id: randomUUID(),
        workflowId,
        number: nextNumber.get(workflowId) as number,
        graph,
        contentHash: contentHashOf(graph),
        note,
        publishedBy,
        publishedAt: now,
      };
      insertVersion.run(
        version.id,
        workflowId,
        version.number,
        JSON.stringify(graph),
        version.contentHash,
        note,
        publishedBy,
        now,
        runningExecutions,
      );
      markPublished.run(version.id, publishedBy, now, now, workflowId);
      return version;
    },
  );

  function versionOf(id: string | null): WorkflowVersion | null {
    const row = id ? versionById.get(id) : undefined;
    return row ? fromRow(row) : null;
  }

  function fromRow(row: VersionRow): WorkflowVersion {
    return {
      id: row.id,
      workflowId: row.workflow_id,
      number: row.number,
      graph: workflowGraphSchema.parse(JSON.parse(row.graph)),
      contentHash: row.content_hash,
      note: row.note,
      publishedBy: row.published_by,
      publishedAt: row.published_at,
    };
  }

  return {
    create(id: string, name: string, now: number): void {
      insertWorkflow.run(id, name, now);
    },
    /**
     * Publishes a new version (a savepoint inside an enclosing transaction). It reads the next
     * number first, so it is begun IMMEDIATE: begun DEFERRED, its write failed at once while the
     * router worker committed (see `transactWhenFree`).
     */
    publish: (...args: Parameters<typeof publish>): WorkflowVersion => publish.immediate(...args),
    /** The same, waiting for the write lock with the event loop free: for request handlers. */
    publishWhenFree: (...args: Parameters<typeof publish>): Promise<WorkflowVersion> =>
      writeWhenFree(sqlite, () => publish.immediate(...args)),
    version: versionOf,
    versionByNumber(workflowId: string, number: number): WorkflowVersion | null {
      const row = versionByNumber.get(workflowId, number);
      return row ? fromRow(row) : null;
    },
    versions(workflowId: string): VersionSummary[] {
      return versionRows.all(workflowId).map((row) => ({
        id: row.id,
        workflowId: row.workflow_id,
        number: row.number,
        contentHash: row.content_hash,
        note: row.note,
        publishedBy: row.published_by,
        publishedAt: row.published_at,
        runningExecutions: row.running_executions,
        liveExecutions: row.live,
        runningConversations: row.conversations,
      }));
    },
    /**
     * Per workflow, its newest version published with `move_at_safe_point` and every version before
     * it: what the router shards are told (each announcement covers all the earlier ones).
     */
    safePointMoves(): SafePointMove[] {
      return newestMoves.all().map((row) => ({
        workflowId: row.workflow_id,
        to: { versionId: row.id, number: row.number },
        from: earlierVersions.all(row.workflow_id, row.number),
      }));
    },
    list(): WorkflowSummary[] {
      return listWorkflows.all().map((row) => ({
        id: row.id,
        name: row.name,
        status: row.status,
        publishedVersion: versionOf(row.published_version_id),
      }));
    },
  };
}

export type WorkflowStore = ReturnType<typeof createWorkflowStore>;
