import { validateGraph } from '@switchboard/nodes';
import { type WorkflowGraph, workflowGraphSchema } from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import { errorBody, HttpError } from '../api/httpError';
import { workflowIdParams } from '../workflows/workflowParams';
import { publishedTriggersOf } from '../workflows/workflowRoutes';
import type { WorkflowStore } from '../workflows/workflowStore';
import { comparisonsToCsv } from './replayExport';
import type { ReplayJobs } from './replayJobs';

export interface ReplayRoutesOptions {
  workflows: WorkflowStore;
  jobs: ReplayJobs;
}

const runParams = {
  type: 'object',
  properties: { runId: { type: 'string', minLength: 1 } },
  required: ['runId'],
} as const;

/** Everything a run stores is small per conversation; an export of 100,000 rows is still one reply. */
const EXPORT_LIMIT = 1_000_000;

/** Shadow replays: start one, watch its progress, cancel it, read and export its results. */
export const replayRoutes: FastifyPluginAsync<ReplayRoutesOptions> = async (app, { workflows, jobs }) => {
  function runOrThrow(runId: string) {
    const run = jobs.get(runId);
    if (!run) throw new HttpError(404, 'replay_not_found', `no shadow replay "${runId}"`, 'runId');
    return run;
  }

  app.post<{
    Params: { workflowId: string };
    Body: { from: number; to: number; targetVersion?: number; draftGraph?: unknown };
  }>(
    '/api/workflows/:workflowId/replays',
    {
      schema: {
        params: workflowIdParams,
        body: {
          type: 'object',
          required: ['from', 'to'],
          properties: {
            from: { type: 'integer', minimum: 0 },
            to: { type: 'integer', minimum: 0 },
            targetVersion: { type: 'integer', minimum: 1 },
            draftGraph: { type: 'object' },
          },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { workflowId } = request.params;
      const { from, to, targetVersion, draftGraph } = request.body;
      if (!workflows.list().some((workflow) => workflow.id === workflowId))
        throw new HttpError(404, 'workflow_not_found', `no workflow "${workflowId}"`, 'workflowId');
      if (to <= from) throw new HttpError(400, 'invalid_range', '"to" must be after "from"', 'to');
      if ((targetVersion === undefined) === (draftGraph === undefined))
        throw new HttpError(
          400,
          'invalid_target',
          'give either targetVersion or draftGraph',
          'targetVersion',
        );

      let target: { versionId: string | null; graph: WorkflowGraph };
      if (targetVersion !== undefined) {
        const version = workflows.versionByNumber(workflowId, targetVersion);
        if (!version)
          throw new HttpError(404, 'version_not_found', `no version ${targetVersion}`, 'targetVersion');
        target = { versionId: version.id, graph: version.graph };
      } else {
        const validation = validateGraph(draftGraph, {
          publishedTriggers: publishedTriggersOf(workflows),
          workflowId,
        });
        if (!validation.ok) {
          return reply.status(422).send({
            ...errorBody('invalid_graph', 'the draft graph has errors', 'draftGraph'),
            problems: validation.problems,
          });
        }
        target = { versionId: null, graph: workflowGraphSchema.parse(draftGraph) };
      }
      const run = await jobs.start({ workflowId, target, from, to });
      return reply.status(202).send({ run });
    },
  );

  app.get<{ Params: { workflowId: string } }>('/api/workflows/:workflowId/replays', async (request) => {
    const { workflowId } = request.params;
    if (!workflows.list().some((workflow) => workflow.id === workflowId))
      throw new HttpError(404, 'workflow_not_found', `no workflow "${workflowId}"`, 'workflowId');
    return { runs: jobs.list(workflowId) };
  });

  app.get<{ Params: { runId: string } }>(
    '/api/replays/:runId',
    { schema: { params: runParams } },
    async (request) => ({ run: runOrThrow(request.params.runId) }),
  );

  app.get<{
    Params: { runId: string };
    Querystring: { changedOnly?: boolean; limit?: number; offset?: number };
  }>(
    '/api/replays/:runId/conversations',
    {
      schema: {
        params: runParams,
        querystring: {
          type: 'object',
          properties: {
            changedOnly: { type: 'boolean' },
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
            offset: { type: 'integer', minimum: 0 },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      runOrThrow(request.params.runId);
      const { changedOnly = false, limit = 100, offset = 0 } = request.query;
      return { conversations: jobs.conversations(request.params.runId, { changedOnly, limit, offset }) };
    },
  );

  app.get<{ Params: { runId: string }; Querystring: { format: 'csv' | 'json' } }>(
    '/api/replays/:runId/export',
    {
      schema: {
        params: runParams,
        querystring: {
          type: 'object',
          properties: { format: { type: 'string', enum: ['csv', 'json'] } },
          required: ['format'],
        },
      },
    },
    async (request, reply) => {
      const run = runOrThrow(request.params.runId);
      if (run.status !== 'completed')
        throw new HttpError(
          409,
          'replay_not_completed',
          `the replay is ${run.status}; nothing to export`,
          'runId',
        );
      const conversations = jobs.conversations(run.id, {
        changedOnly: false,
        limit: EXPORT_LIMIT,
        offset: 0,
      });
      const name = `shadow-replay-${run.id}`;
      if (request.query.format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(comparisonsToCsv(conversations));
      }
      return reply
        .header('content-disposition', `attachment; filename="${name}.json"`)
        .send({ run, conversations });
    },
  );

  app.post<{ Params: { runId: string } }>(
    '/api/replays/:runId/cancel',
    { schema: { params: runParams } },
    async (request, reply) => {
      const run = runOrThrow(request.params.runId);
      if (!jobs.cancel(run.id))
        throw new HttpError(409, 'replay_finished', `the replay is ${run.status} already`, 'runId');
      return reply.status(202).send({ run: { ...run, status: 'cancelling' } });
    },
  );
};
