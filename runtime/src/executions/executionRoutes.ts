import type { ExecutionStatus, WorkflowGraph } from '@switchboard/shared';
import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../api/httpError';
import type { StopExecutionRequest } from '../routing/routerWorkflow';
import { EXECUTION_STATUSES, type ExecutionQueries } from './executionQueries';

/** Where a conversation is routed in Temporal: its shard workflow, and that workflow in the Web UI. */
export interface ShardLink {
  workflowId: string;
  /** Null when the Web UI's address is unknown (an external Temporal cluster). */
  url: string | null;
}

export interface ExecutionRoutesOptions {
  queries: ExecutionQueries;
  shardLink: (conversationId: string) => ShardLink;
  /**
   * Keeps the request until the shard has applied it (see `createStopRequestStore`): called before
   * the signal, so a signal that reaches no run's state, or none at all, still takes effect.
   */
  recordStop: (request: StopExecutionRequest) => Promise<void>;
  /** Signals the conversation's shard; rejects when Temporal cannot be reached. */
  stopInShard: (shardWorkflowId: string, request: StopExecutionRequest) => Promise<void>;
  /** The graph of a published version, to check the node a retry starts at. */
  graphOf: (workflowVersionId: string) => WorkflowGraph | null;
  /** Queues the manual run that starts the retry; false when the conversation is gone. */
  queueRetry: (retry: {
    conversationId: string;
    workflowVersionId: string;
    nodeId: string;
    requestedBy: string | null;
  }) => Promise<boolean>;
}

const executionParams = {
  type: 'object',
  properties: { executionId: { type: 'string', minLength: 1 } },
  required: ['executionId'],
} as const;

const stopBody = {
  type: 'object',
  properties: { requestedBy: { type: 'string', minLength: 1, maxLength: 200 } },
  additionalProperties: false,
} as const;

interface ListQuery {
  workflowId?: string;
  versionId?: string;
  status?: ExecutionStatus;
  conversationId?: string;
  from?: number;
  to?: number;
  limit?: number;
  cursor?: string;
}

/** The execution explorer: list, trace, cancel, terminate. */
export const executionRoutes: FastifyPluginAsync<ExecutionRoutesOptions> = async (app, options) => {
  const { queries } = options;

  function liveOrThrow(executionId: string) {
    const execution = queries.byId(executionId);
    if (!execution)
      throw new HttpError(404, 'execution_not_found', `no execution "${executionId}"`, 'executionId');
    if (execution.status !== 'running' && execution.status !== 'waiting') {
      throw new HttpError(
        409,
        'execution_finished',
        `the execution is ${execution.status} already`,
        'executionId',
      );
    }
    return execution;
  }

  /** A stop of a live execution, recorded before the shard is signalled (see `recordStop`). */
  async function recordStopOf(executionId: string, mode: StopExecutionRequest['mode'], requestedBy?: string) {
    const execution = liveOrThrow(executionId);
    const stop: StopExecutionRequest = {
      conversationId: execution.conversationId,
      executionId: execution.id,
      mode,
      requestedBy: requestedBy ?? null,
    };
    await options.recordStop(stop);
    return { execution, stop };
  }

  app.get<{ Querystring: ListQuery }>(
    '/api/executions',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            workflowId: { type: 'string', minLength: 1 },
            versionId: { type: 'string', minLength: 1 },
            status: { type: 'string', enum: [...EXECUTION_STATUSES] },
            conversationId: { type: 'string', minLength: 1 },
            from: { type: 'integer', minimum: 0 },
            to: { type: 'integer', minimum: 0 },
            limit: { type: 'integer', minimum: 1, maximum: 500 },
            cursor: { type: 'string', pattern: '^[0-9]+:.+$' },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { limit = 50, ...filter } = request.query;
      if (filter.from !== undefined && filter.to !== undefined && filter.to <= filter.from)
        throw new HttpError(400, 'invalid_range', '"to" must be after "from"', 'to');
      return queries.list({ ...filter, limit });
    },
  );

  app.get<{ Params: { executionId: string } }>(
    '/api/executions/:executionId',
    { schema: { params: executionParams } },
    async (request) => {
      const { executionId } = request.params;
      const execution = queries.byId(executionId);
      if (!execution)
        throw new HttpError(404, 'execution_not_found', `no execution "${executionId}"`, 'executionId');
      const steps = queries.steps(executionId);
      return {
        execution,
        steps,
        // Node ids in the order first reached, for drawing the path on the canvas.
        path: [...new Set(steps.map((step) => step.nodeId))],
        assignments: queries.assignments(executionId),
        temporal: options.shardLink(execution.conversationId),
      };
    },
  );

  app.post<{ Params: { executionId: string }; Body: { requestedBy?: string } | undefined }>(
    '/api/executions/:executionId/cancel',
    { schema: { params: executionParams, body: stopBody } },
    async (request, reply) => {
      const { execution, stop } = await recordStopOf(
        request.params.executionId,
        'cancel',
        request.body?.requestedBy,
      );
      const shard = options.shardLink(execution.conversationId);
      try {
        await options.stopInShard(shard.workflowId, stop);
      } catch (error) {
        request.log.error({ err: error, executionId: execution.id }, 'cancel signal failed');
        throw new HttpError(
          503,
          'temporal_unavailable',
          'the router shard could not be reached; the cancel is kept and applies when the shard starts its next run, or try again',
        );
      }
      return reply
        .status(202)
        .send({ executionId: execution.id, status: 'cancelling', shard: shard.workflowId });
    },
  );

  app.post<{ Params: { executionId: string }; Body: { requestedBy?: string } | undefined }>(
    '/api/executions/:executionId/terminate',
    { schema: { params: executionParams, body: stopBody } },
    async (request) => {
      const { execution, stop } = await recordStopOf(
        request.params.executionId,
        'terminate',
        request.body?.requestedBy,
      );
      // Marked at once, without waiting for the shard: terminate is for a shard that does not answer.
      await queries.markTerminated(execution.id, Date.now());
      const shard = options.shardLink(execution.conversationId);
      let shardNotified = true;
      try {
        await options.stopInShard(shard.workflowId, stop);
      } catch (error) {
        shardNotified = false;
        request.log.warn({ err: error, executionId: execution.id }, 'terminate signal failed');
      }
      return { executionId: execution.id, status: 'terminated', shard: shard.workflowId, shardNotified };
    },
  );

  app.post<{ Params: { executionId: string }; Body: { nodeId: string; requestedBy?: string } }>(
    '/api/executions/:executionId/retry',
    {
      schema: {
        params: executionParams,
        body: {
          type: 'object',
          required: ['nodeId'],
          properties: { nodeId: { type: 'string', minLength: 1 }, ...stopBody.properties },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { executionId } = request.params;
      const { nodeId, requestedBy = null } = request.body;
      const execution = queries.byId(executionId);
      if (!execution)
        throw new HttpError(404, 'execution_not_found', `no execution "${executionId}"`, 'executionId');
      if (execution.status === 'running' || execution.status === 'waiting') {
        throw new HttpError(
          409,
          'execution_live',
          `the execution is ${execution.status}; cancel it first`,
          'executionId',
        );
      }
      const node = options
        .graphOf(execution.workflowVersionId)
        ?.nodes.find((candidate) => candidate.id === nodeId);
      if (!node)
        throw new HttpError(
          404,
          'node_not_found',
          `the execution's version has no node "${nodeId}"`,
          'nodeId',
        );
      if (node.type.startsWith('trigger.'))
        throw new HttpError(
          400,
          'trigger_node',
          'a retry starts after the trigger; choose a later node',
          'nodeId',
        );
      const queued = await options.queueRetry({
        conversationId: execution.conversationId,
        workflowVersionId: execution.workflowVersionId,
        nodeId,
        requestedBy,
      });
      if (!queued)
        throw new HttpError(
          404,
          'conversation_not_found',
          `conversation "${execution.conversationId}" is gone`,
        );
      return reply.status(202).send({ retriedFrom: nodeId, conversationId: execution.conversationId });
    },
  );
};
