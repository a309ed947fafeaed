import { randomUUID } from 'node:crypto';
import { type WorkflowGraph, workflowGraphSchema } from '@switchboard/shared';
import { HttpError } from '../api/httpError';
import type { AppDatabase } from '../db/database';
import { transactWhenFree, writeWhenFree } from '../db/writeLock';

export interface WorkflowDraft {
  workflowId: string;
  name: string;
  graph: WorkflowGraph;
  revision: number;
  lastEditedBy: string | null;
  lastEditedAt: number | null;
}

export interface WorkflowOverview {
  id: string;
  name: string;
  status: 'draft' | 'published' | 'archived';
  publishedVersionNumber: number | null;
  draftRevision: number;
  lastEditedBy: string | null;
  lastEditedAt: number | null;
  executionCount: number;
}

interface DraftRow {
  id: string;
  name: string;
  status: WorkflowOverview['status'];
  draft_graph: string | null;
  draft_revision: number;
  last_edited_by: string | null;
  last_edited_at: number | null;
  published_graph: string | null;
}

const EMPTY_GRAPH: WorkflowGraph = { nodes: [], edges: [] };

/**
 * The drafts managers edit, beside the immutable published versions. A save carries the revision
 * it was based on and is refused when another save came first, so two editors on one workflow
 * never silently overwrite each other.
 */
export function createWorkflowDrafts(db: AppDatabase) {
  const sqlite = db.$client;
  const draftRow = sqlite.prepare<[string], DraftRow>(
    `SELECT w.id, w.name, w.status, w.draft_graph, w.draft_revision, w.last_edited_by, w.last_edited_at,
            v.graph AS published_graph
       FROM workflows w LEFT JOIN workflow_versions v ON v.id = w.published_version_id
      WHERE w.id = ?`,
  );
  const saveIfCurrent = sqlite.prepare<[string, string, number, number, string, number]>(
    `UPDATE workflows
        SET draft_graph = ?, last_edited_by = ?, last_edited_at = ?, updated_at = ?, draft_revision = draft_revision + 1
      WHERE id = ? AND draft_revision = ?`,
  );
  const insertWorkflow = sqlite.prepare<[string, string, string | null, string | null, number, number]>(
    `INSERT INTO workflows (id, name, status, draft_graph, draft_revision, last_edited_by, last_edited_at, updated_at)
     VALUES (?, ?, 'draft', ?, 1, ?, ?, ?)`,
  );
  const nameTaken = sqlite
    .prepare<[string], number>(`SELECT 1 FROM workflows WHERE name = ? AND status != 'archived'`)
    .pluck();
  const routedNumbers = sqlite
    .prepare<[string], string>(`SELECT id FROM business_numbers WHERE workflow_id = ?`)
    .pluck();
  const markArchived = sqlite.prepare<[number, string]>(
    `UPDATE workflows SET status = 'archived', updated_at = ? WHERE id = ?`,
  );
  const overviewRows = sqlite.prepare<
    [],
    Omit<WorkflowOverview, 'status'> & { status: WorkflowOverview['status'] }
  >(
    `SELECT w.id, w.name, w.status, v.number AS publishedVersionNumber, w.draft_revision AS draftRevision,
            w.last_edited_by AS lastEditedBy, w.last_edited_at AS lastEditedAt,
            (SELECT count(*) FROM executions e JOIN workflow_versions ev ON ev.id = e.workflow_version_id
              WHERE ev.workflow_id = w.id) AS executionCount
       FROM workflows w LEFT JOIN workflow_versions v ON v.id = w.published_version_id
      WHERE w.status != 'archived'
      ORDER BY w.created_at, w.id`,
  );

  function toDraft(row: DraftRow): WorkflowDraft {
    // Until the first save the draft is what is published, so the editor opens on the live graph.
    const stored = row.draft_graph ?? row.published_graph;
    return {
      workflowId: row.id,
      name: row.name,
      graph: stored ? workflowGraphSchema.parse(JSON.parse(stored)) : EMPTY_GRAPH,
      revision: row.draft_revision,
      lastEditedBy: row.last_edited_by,
      lastEditedAt: row.last_edited_at,
    };
  }

  function load(workflowId: string): WorkflowDraft {
    const row = draftRow.get(workflowId);
    if (!row || row.status === 'archived') {
      throw new HttpError(404, 'workflow_not_found', `no workflow "${workflowId}"`, 'workflowId');
    }
    return toDraft(row);
  }

  // Reads the draft, then writes it: IMMEDIATE, or its write fails at once while the router
  // worker commits (see `transactWhenFree`).
  const saveTransaction = sqlite.transaction(
    (
      workflowId: string,
      graph: WorkflowGraph,
      revision: number,
      editedBy: string,
      now: number,
    ): WorkflowDraft => {
      const current = load(workflowId);
      const changed = saveIfCurrent.run(
        JSON.stringify(graph),
        editedBy,
        now,
        now,
        workflowId,
        revision,
      ).changes;
      if (changed === 0) {
        const by = current.lastEditedBy ? ` by ${current.lastEditedBy}` : '';
        throw new HttpError(
          409,
          'draft_conflict',
          `this draft was saved${by} since you opened it (you edited revision ${revision}, it is now at ${current.revision}); reload to see their changes or keep yours`,
          'revision',
        );
      }
      return load(workflowId);
    },
  );

  function create(
    name: string,
    graph: WorkflowGraph | null,
    editedBy: string | null,
    now: number,
  ): WorkflowDraft {
    if (nameTaken.get(name)) {
      throw new HttpError(409, 'name_taken', `a workflow named "${name}" already exists`, 'name');
    }
    const id = `wf_${randomUUID().slice(0, 8)}`;
    insertWorkflow.run(id, name, graph ? JSON.stringify(graph) : null, editedBy, now, now);
    return load(id);
  }

  function copyName(name: string): string {
    for (let n = 1; ; n += 1) {
      const candidate = n === 1 ? `${name} (copy)` : `${name} (copy ${n})`;
      if (!nameTaken.get(candidate)) return candidate;
    }
  }

  return {
    load,
    /** Saves over `revision`, or fails with 409 when someone saved since; waits for the write lock. */
    save: (...args: Parameters<typeof saveTransaction>): Promise<WorkflowDraft> =>
      writeWhenFree(sqlite, () => saveTransaction.immediate(...args)),
    // Creating, copying and archiving read before they write: IMMEDIATE, waited for with the event
    // loop free (see transactWhenFree).
    create: (...args: Parameters<typeof create>): Promise<WorkflowDraft> =>
      transactWhenFree(sqlite, () => create(...args)),
    duplicate: (workflowId: string, editedBy: string | null, now: number): Promise<WorkflowDraft> =>
      transactWhenFree(sqlite, () => {
        const source = load(workflowId);
        return create(copyName(source.name), source.graph, editedBy, now);
      }),
    archive: (workflowId: string, now: number): Promise<void> =>
      transactWhenFree(sqlite, () => archive(workflowId, now)),
    overview: (): WorkflowOverview[] => overviewRows.all(),
  };

  function archive(workflowId: string, now: number): void {
    load(workflowId);
    const numbers = routedNumbers.all(workflowId);
    if (numbers.length > 0) {
      throw new HttpError(
        409,
        'workflow_in_use',
        `business number ${numbers.join(', ')} routes through this workflow; point it at another workflow first`,
        'workflowId',
      );
    }
    markArchived.run(now, workflowId);
  }
}

export type WorkflowDrafts = ReturnType<typeof createWorkflowDrafts>;
