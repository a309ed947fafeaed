import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../api/httpError';
import { workflowIdParams } from '../workflows/workflowParams';
import type { WorkflowStore } from '../workflows/workflowStore';
import { type createRedrive, RedriveError } from './redrive';

export interface RedriveRoutesOptions {
  workflows: WorkflowStore;
  redrive: ReturnType<typeof createRedrive>;
  /** Wakes the outbox dispatcher after events were queued. */
  onQueued: () => void;
}

export const redriveRoutes: FastifyPluginAsync<RedriveRoutesOptions> = async (app, options) => {
  app.post<{
    Params: { workflowId: string };
    Body: { from: number; to: number; dryRun?: boolean; requestedBy?: string };
  }>(
    '/api/workflows/:workflowId/redrive',
    {
      schema: {
        params: workflowIdParams,
        body: {
          type: 'object',
          required: ['from', 'to'],
          properties: {
            from: { type: 'integer', minimum: 0 },
            to: { type: 'integer', minimum: 0 },
            dryRun: { type: 'boolean' },
            requestedBy: { type: 'string', minLength: 1, maxLength: 200 },
          },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { workflowId } = request.params;
      const { from, to, dryRun = false, requestedBy = null } = request.body;
      if (!options.workflows.list().some((workflow) => workflow.id === workflowId))
        throw new HttpError(404, 'workflow_not_found', `no workflow "${workflowId}"`, 'workflowId');
      if (to <= from) throw new HttpError(400, 'invalid_range', '"to" must be after "from"', 'to');
      try {
        const report = await options.redrive({ workflowId, from, to, dryRun, requestedBy });
        if (!dryRun && report.redriven.length > 0) options.onQueued();
        return reply.status(dryRun ? 200 : 202).send(report);
      } catch (error) {
        if (error instanceof RedriveError) throw new HttpError(409, error.code, error.message, error.field);
        throw error;
      }
    },
  );
};
