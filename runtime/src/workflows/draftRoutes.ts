import { workflowGraphSchema } from '@switchboard/shared';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { HttpError } from '../api/httpError';
import type { WorkflowDrafts } from './workflowDrafts';
import { workflowIdParams } from './workflowParams';

export interface DraftRoutesOptions {
  drafts: WorkflowDrafts;
}

const editorName = { type: 'string', minLength: 1, maxLength: 120 } as const;

/** Drafts (load, save with a revision), and the workflow list's create, duplicate and archive. */
export const draftRoutes: FastifyPluginAsync<DraftRoutesOptions> = async (app, { drafts }) => {
  app.get('/api/workflow-overview', async () => ({ workflows: drafts.overview() }));

  app.get<{ Params: { workflowId: string } }>(
    '/api/workflows/:workflowId/draft',
    { schema: { params: workflowIdParams } },
    async (request) => drafts.load(request.params.workflowId),
  );

  app.put<{ Params: { workflowId: string }; Body: { graph: unknown; revision: number; editedBy: string } }>(
    '/api/workflows/:workflowId/draft',
    {
      schema: {
        params: workflowIdParams,
        body: {
          type: 'object',
          required: ['graph', 'revision', 'editedBy'],
          properties: { graph: {}, revision: { type: 'integer', minimum: 0 }, editedBy: editorName },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      // A draft may be invalid (that is what drafts are for) but it must be a graph.
      const parsed = workflowGraphSchema.safeParse(request.body.graph);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = ['graph', ...(issue?.path ?? []).map(String)].join('.');
        throw new HttpError(
          400,
          'invalid_graph',
          `${field}: ${issue?.message ?? 'not a workflow graph'}`,
          field,
        );
      }
      const { workflowId } = request.params;
      return drafts.save(
        workflowId,
        parsed.data,
        request.body.revision,
        request.actor?.name ?? request.body.editedBy,
        Date.now(),
      );
    },
  );

  app.post<{ Body: { name: string; editedBy?: string } }>(
    '/api/workflows',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 120, pattern: '\\S' },
            editedBy: editorName,
          },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await drafts.create(
            request.body.name.trim(),
            null,
            editorOf(request, request.body.editedBy),
            Date.now(),
          ),
        ),
  );

  app.post<{ Params: { workflowId: string }; Body: { editedBy?: string } | undefined }>(
    '/api/workflows/:workflowId/duplicate',
    {
      schema: {
        params: workflowIdParams,
        body: { type: ['object', 'null'], properties: { editedBy: editorName }, additionalProperties: false },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await drafts.duplicate(
            request.params.workflowId,
            editorOf(request, request.body?.editedBy),
            Date.now(),
          ),
        ),
  );

  app.post<{ Params: { workflowId: string } }>(
    '/api/workflows/:workflowId/archive',
    { schema: { params: workflowIdParams } },
    async (request) => {
      await drafts.archive(request.params.workflowId, Date.now());
      return { archived: true };
    },
  );
};

/** The signed-in person is who edited; the name in the body only counts for callers without one. */
function editorOf(request: FastifyRequest, named: string | undefined): string | null {
  return request.actor?.name ?? named ?? null;
}
