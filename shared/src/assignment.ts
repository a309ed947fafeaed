import { z } from 'zod';

export const skipReasonSchema = z.enum(['offline', 'at_capacity', 'lacks_skill', 'off_shift', 'quiet_hours']);
export type SkipReason = z.infer<typeof skipReasonSchema>;

export const agentCandidateSchema = z.object({
  agentId: z.string(),
  name: z.string(),
  openConversations: z.number().int().nonnegative(),
  capacity: z.number().int().nonnegative(),
  /** Absent when the candidate was eligible. */
  skipReason: skipReasonSchema.optional(),
});
export type AgentCandidate = z.infer<typeof agentCandidateSchema>;

/** Why an assignment went where it went; stored with every assignment and shown to the agent. */
export const assignmentExplanationSchema = z.object({
  strategy: z.string(),
  teamId: z.string().nullable(),
  workflowVersionId: z.string(),
  nodeId: z.string(),
  path: z.array(z.string()),
  candidates: z.array(agentCandidateSchema),
  chosenAgentId: z.string().nullable(),
  summary: z.string(),
});
export type AssignmentExplanation = z.infer<typeof assignmentExplanationSchema>;

export const assignmentSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  agentId: z.string().nullable(),
  teamId: z.string().nullable(),
  workflowVersionId: z.string(),
  explanation: assignmentExplanationSchema,
  createdAt: z.number().int(),
  customer: z.object({ waId: z.string(), name: z.string().nullable() }),
  preview: z.string().nullable(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

/** Messages the runtime pushes over `/ws`. */
export const socketMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), agentId: z.string() }),
  z.object({ type: z.literal('assignment.created'), assignment: assignmentSchema }),
  z.object({
    type: z.literal('notification'),
    notification: z.object({
      id: z.string(),
      conversationId: z.string().nullable(),
      title: z.string(),
      body: z.string(),
      createdAt: z.number().int(),
    }),
  }),
]);
export type SocketMessage = z.infer<typeof socketMessageSchema>;
