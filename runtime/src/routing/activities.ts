import type { WorkflowGraph } from '@switchboard/shared';
import type { Logger } from 'pino';
import { AssignmentError, createAssignConversation } from '../assignment/assignConversation';
import type { AssignmentViews } from '../assignment/assignmentViews';
import type { AppDatabase } from '../db/database';
import type { LiveHub } from '../live/liveHub';
import { type CrashPoint, crashIfAsked } from './crashPoints';
import type { ApplyEffectsInput, EffectOutcome, RoutingActivities } from './routingActivities';

export interface RoutingActivityDeps {
  db: AppDatabase;
  live: LiveHub;
  views: AssignmentViews;
  log: Logger;
  crashAt?: CrashPoint;
}

export function createRoutingActivities(deps: RoutingActivityDeps): RoutingActivities {
  const sqlite = deps.db.$client;
  const assignConversation = createAssignConversation(deps.db);
  const graphById = sqlite.prepare<[string], { graph: string }>(
    `SELECT graph FROM workflow_versions WHERE id = ?`,
  );
  const insertStep = sqlite.prepare(
    `INSERT INTO execution_steps (key, execution_id, node_id, node_type, status, output, error, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
  );
  const upsertExecution = sqlite.prepare(
    `INSERT INTO executions (id, conversation_id, workflow_version_id, status, started_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
     WHERE excluded.updated_at >= executions.updated_at`,
  );
  const recordProgress = sqlite.transaction((input: ApplyEffectsInput) => {
    for (const r of input.records) {
      insertStep.run(r.key, r.executionId, r.nodeId, r.nodeType, r.status, r.output, r.error, r.at);
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
      recordProgress(input);
      const outcomes: EffectOutcome[] = [];
      for (const effect of input.effects) {
        switch (effect.type) {
          case 'assign': {
            try {
              const decision = assignConversation(effect, Date.now());
              crashIfAsked(deps.crashAt, 'after-assign-commit');
              if (decision.agentId) {
                const assignment = deps.views.byId(decision.assignmentId);
                // Re-published on a retry too: pages de-duplicate by id, and a crash may have come
                // between the commit and the first push.
                if (assignment)
                  deps.live.publish(decision.agentId, { type: 'assignment.created', assignment });
              }
              outcomes.push({
                key: effect.key,
                conversationId: effect.conversationId,
                ok: true,
                result: {
                  type: 'assign',
                  assignmentId: decision.assignmentId,
                  agentId: decision.agentId,
                  explanation: decision.explanation,
                },
              });
            } catch (error) {
              // Only errors that retrying cannot cure become a failed execution; the rest (a locked
              // database, a full disk) fail the activity so that Temporal retries it.
              if (!(error instanceof AssignmentError)) throw error;
              deps.log.warn(
                { conversationId: effect.conversationId, key: effect.key, err: error },
                'assign failed',
              );
              outcomes.push({
                key: effect.key,
                conversationId: effect.conversationId,
                ok: false,
                error: error.message,
              });
            }
            break;
          }
        }
      }
      return outcomes;
    },
  };
}
