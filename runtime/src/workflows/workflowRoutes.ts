import { type PublishedTrigger, validateGraph } from '@switchboard/nodes';
import { type RunningExecutionsPolicy, type WorkflowVersion, workflowGraphSchema } from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import { errorBody, HttpError } from '../api/httpError';
import { workflowIdParams } from './workflowParams';
import type { WorkflowStore } from './workflowStore';

/** The trigger of every published workflow, for the overlapping-triggers check. */
export function publishedTriggersOf(workflows: WorkflowStore): PublishedTrigger[] {
  return workflows.list().flatMap((workflow) => {
    const trigger = workflow.publishedVersion?.graph.nodes.find((node) => node.type.startsWith('trigger.'));
    return trigger ? [{ workflowId: workflow.id, workflowName: workflow.name, node: trigger }] : [];
  });
}

/** Body fields shared by publish and rollback. */
export const publishChoices = {
  /** Until there are logins, the caller names the author. */
  publishedBy: { type: 'string', minLength: 1, maxLength: 200 },
  runningExecutions: { type: 'string', enum: ['stay', 'move_at_safe_point'] },
} as const;

export interface WorkflowRoutesOptions {
  workflows: WorkflowStore;
  /** Awaited after each successful publish (schedules are synced here), before the reply. */
  onPublished?: (version: WorkflowVersion) => Promise<void> | void;
}

/** Validate and publish. A graph with errors is never published; warnings are returned with the version. */
export const workflowRoutes: FastifyPluginAsync<WorkflowRoutesOptions> = async (
  app,
  { workflows, onPublished },
) => {
  const publishedTriggers = () => publishedTriggersOf(workflows);

  app.post<{ Body: { graph: unknown; workflowId?: string } }>(
    '/api/workflows/validate',
    {
      schema: {
        body: {
          type: 'object',
          required: ['graph'],
          properties: { graph: {}, workflowId: { type: 'string' } },
        },
      },
    },
    async (request) =>
      validateGraph(request.body.graph, {
        publishedTriggers: publishedTriggers(),
        workflowId: request.body.workflowId,
      }),
  );

  app.post<{
    Params: { workflowId: string };
    Body: {
      graph: unknown;
      note?: string;
      publishedBy?: string;
      runningExecutions?: RunningExecutionsPolicy;
    };
  }>(
    '/api/workflows/:workflowId/publish',
    {
      schema: {
        params: workflowIdParams,
        body: {
          type: 'object',
          required: ['graph'],
          properties: { graph: {}, note: { type: 'string', maxLength: 2000 }, ...publishChoices },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { workflowId } = request.params;
      if (!workflows.list().some((workflow) => workflow.id === workflowId)) {
        throw new HttpError(404, 'workflow_not_found', `no workflow "${workflowId}"`, 'workflowId');
      }
      const validation = validateGraph(request.body.graph, {
        publishedTriggers: publishedTriggers(),
        workflowId,
      });
      if (!validation.ok) {
        const first = validation.problems.find((problem) => problem.severity === 'error');
        return reply.status(422).send({
          ...errorBody('invalid_graph', `the graph has errors: ${first?.message ?? 'see problems'}`, 'graph'),
          problems: validation.problems,
        });
      }
      const graph = workflowGraphSchema.parse(request.body.graph);
      const { note = '', runningExecutions = 'stay' } = request.body;
      // The signed-in person publishes; a name in the body only counts for callers without one.
      const publishedBy = request.actor?.name ?? request.body.publishedBy ?? null;
      const version = await workflows.publishWhenFree(
        workflowId,
        graph,
        note,
        publishedBy,
        Date.now(),
        runningExecutions,
      );
      await onPublished?.(version);
      return reply.status(201).send({ version, problems: validation.problems });
    },
  );
};
