import { validateGraph } from '@switchboard/nodes';
import { diffGraphs, type RunningExecutionsPolicy, type WorkflowVersion } from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import { errorBody, HttpError } from '../api/httpError';
import { workflowIdParams } from './workflowParams';
import { publishChoices, publishedTriggersOf } from './workflowRoutes';
import type { WorkflowStore } from './workflowStore';

export interface VersionRoutesOptions {
  workflows: WorkflowStore;
  /** Awaited after a rollback published a version, as after a publish. */
  onPublished?: (version: WorkflowVersion) => Promise<void> | void;
}

const versionParams = {
  type: 'object',
  properties: {
    workflowId: { type: 'string', minLength: 1 },
    number: { type: 'integer', minimum: 1 },
  },
  required: ['workflowId', 'number'],
} as const;

/** Published versions: list, read one, diff two, roll back. Versions are never edited. */
export const versionRoutes: FastifyPluginAsync<VersionRoutesOptions> = async (app, options) => {
  const { workflows } = options;

  function workflowOrThrow(workflowId: string) {
    const workflow = workflows.list().find((candidate) => candidate.id === workflowId);
    if (!workflow)
      throw new HttpError(404, 'workflow_not_found', `no workflow "${workflowId}"`, 'workflowId');
    return workflow;
  }

  function versionOrThrow(workflowId: string, number: number, field: string): WorkflowVersion {
    const version = workflows.versionByNumber(workflowId, number);
    if (!version)
      throw new HttpError(
        404,
        'version_not_found',
        `workflow "${workflowId}" has no version ${number}`,
        field,
      );
    return version;
  }

  app.get<{ Params: { workflowId: string } }>(
    '/api/workflows/:workflowId/versions',
    { schema: { params: workflowIdParams } },
    async (request) => {
      const workflow = workflowOrThrow(request.params.workflowId);
      return {
        workflowId: workflow.id,
        publishedVersionId: workflow.publishedVersion?.id ?? null,
        versions: workflows.versions(workflow.id),
      };
    },
  );

  app.get<{ Params: { workflowId: string; number: number } }>(
    '/api/workflows/:workflowId/versions/:number',
    { schema: { params: versionParams } },
    async (request) => {
      workflowOrThrow(request.params.workflowId);
      return { version: versionOrThrow(request.params.workflowId, request.params.number, 'number') };
    },
  );

  app.get<{ Params: { workflowId: string }; Querystring: { from: number; to: number } }>(
    '/api/workflows/:workflowId/diff',
    {
      schema: {
        params: workflowIdParams,
        querystring: {
          type: 'object',
          properties: { from: { type: 'integer', minimum: 1 }, to: { type: 'integer', minimum: 1 } },
          required: ['from', 'to'],
        },
      },
    },
    async (request) => {
      const { workflowId } = request.params;
      workflowOrThrow(workflowId);
      const from = versionOrThrow(workflowId, request.query.from, 'from');
      const to = versionOrThrow(workflowId, request.query.to, 'to');
      return { from, to, diff: diffGraphs(from.graph, to.graph) };
    },
  );

  app.post<{
    Params: { workflowId: string; number: number };
    Body: { publishedBy?: string; runningExecutions?: RunningExecutionsPolicy } | undefined;
  }>(
    '/api/workflows/:workflowId/versions/:number/rollback',
    {
      schema: {
        params: versionParams,
        body: { type: 'object', properties: publishChoices, additionalProperties: false },
      },
    },
    async (request, reply) => {
      const { workflowId, number } = request.params;
      const workflow = workflowOrThrow(workflowId);
      const target = versionOrThrow(workflowId, number, 'number');
      if (workflow.publishedVersion?.id === target.id) {
        throw new HttpError(
          409,
          'already_published',
          `v${number} is the published version already`,
          'number',
        );
      }
      // The graph was valid when published; other workflows' triggers may have changed since.
      const validation = validateGraph(target.graph, {
        publishedTriggers: publishedTriggersOf(workflows),
        workflowId,
      });
      if (!validation.ok) {
        const first = validation.problems.find((problem) => problem.severity === 'error');
        return reply.status(422).send({
          ...errorBody('invalid_graph', `v${number} cannot be published again: ${first?.message}`, 'number'),
          problems: validation.problems,
        });
      }
      const { runningExecutions = 'stay' } = request.body ?? {};
      const publishedBy = request.actor?.name ?? request.body?.publishedBy ?? null;
      const version = await workflows.publishWhenFree(
        workflowId,
        target.graph,
        `rollback to v${number}`,
        publishedBy,
        Date.now(),
        runningExecutions,
      );
      await options.onPublished?.(version);
      return reply.status(201).send({ version, rolledBackTo: number });
    },
  );
};
