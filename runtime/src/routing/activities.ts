import type { WorkflowGraph } from '@switchboard/shared';
import type { AppDatabase } from '../db/database';
import type { createEffectExecutor } from '../effects/effectExecutor';
import type { ApplyEffectsInput, RoutingActivities } from './routingActivities';

export interface RoutingActivityDeps {
  db: AppDatabase;
  applyEffects: ReturnType<typeof createEffectExecutor>;
}

export function createRoutingActivities(deps: RoutingActivityDeps): RoutingActivities {
  const sqlite = deps.db.$client;
  const graphById = sqlite.prepare<[string], { graph: string }>(
    `SELECT graph FROM workflow_versions WHERE id = ?`,
  );
  const insertStep = sqlite.prepare(
    `INSERT INTO execution_steps (key, execution_id, node_id, node_type, status, output, error, cause, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
  );
  const upsertExecution = sqlite.prepare(
    `INSERT INTO executions (id, conversation_id, workflow_version_id, status, started_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
     WHERE excluded.updated_at >= executions.updated_at`,
  );
  const recordProgress = sqlite.transaction((input: ApplyEffectsInput) => {
    for (const r of input.records) {
      insertStep.run(r.key, r.executionId, r.nodeId, r.nodeType, r.status, r.output, r.error, r.cause, r.at);
    }
    for (const e of input.executions) {
      upsertExecution.run(
        e.executionId,
        e.conversationId,
        e.workflowVersionId,
        e.status,
        e.startedAt,
        e.updatedAt,
      );
    }
  });

  return {
    async loadGraphs(versionIds) {
      const graphs: Record<string, WorkflowGraph> = {};
      for (const id of versionIds) {
        const row = graphById.get(id);
        if (row) graphs[id] = JSON.parse(row.graph);
      }
      return graphs;
    },

    async applyEffects(input) {
      return deps.applyEffects(input.effects, Date.now(), () => recordProgress(input));
    },
  };
}
