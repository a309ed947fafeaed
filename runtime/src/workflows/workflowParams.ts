/** Route params of every `/api/workflows/:workflowId/…` route (Fastify JSON schema). */
export const workflowIdParams = {
  type: 'object',
  properties: { workflowId: { type: 'string', minLength: 1 } },
  required: ['workflowId'],
} as const;
