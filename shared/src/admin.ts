import { z } from 'zod';
import { assignmentExplanationSchema } from './assignment';
import { prioritySchema } from './events';
import { workflowVersionSchema } from './graph';

/*
 * What the admin API answers (versions, execution explorer, shadow replay), shared by the runtime
 * that builds the replies and the editor that shows them.
 */

/** What executions on older versions do when a new version is published. */
export const runningExecutionsPolicySchema = z.enum(['stay', 'move_at_safe_point']);
export type RunningExecutionsPolicy = z.infer<typeof runningExecutionsPolicySchema>;

export const versionSummarySchema = workflowVersionSchema.omit({ graph: true }).extend({
  runningExecutions: runningExecutionsPolicySchema,
  /** Executions on this version that are running or waiting now. */
  liveExecutions: z.number().int().nonnegative(),
  /**
   * Conversations whose running or waiting execution is on this version now: an execution moved
   * at a safe point counts for the version it moved to.
   */
  runningConversations: z.number().int().nonnegative(),
});
export type VersionSummary = z.infer<typeof versionSummarySchema>;

/** `cancelled` / `terminated`: stopped by an admin. */
export const executionStatusSchema = z.enum([
  'running',
  'waiting',
  'completed',
  'failed',
  'cancelled',
  'terminated',
]);
export type ExecutionStatus = z.infer<typeof executionStatusSchema>;

export const executionSummarySchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  workflowId: z.string().nullable(),
  workflowVersionId: z.string(),
  versionNumber: z.number().int().nullable(),
  status: executionStatusSchema,
  startedAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type ExecutionSummary = z.infer<typeof executionSummarySchema>;

export const executionStepSchema = z.object({
  key: z.string(),
  nodeId: z.string(),
  nodeType: z.string(),
  status: z.string(),
  output: z.string().nullable(),
  error: z.string().nullable(),
  /** What the node acted on: the event, the deadline or the effect result. */
  cause: z.string().nullable(),
  at: z.number().int(),
});
export type ExecutionStep = z.infer<typeof executionStepSchema>;

export const executionAssignmentSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  agentId: z.string().nullable(),
  teamId: z.string().nullable(),
  explanation: assignmentExplanationSchema,
  createdAt: z.number().int(),
});
export type ExecutionAssignment = z.infer<typeof executionAssignmentSchema>;

export const executionTraceSchema = z.object({
  execution: executionSummarySchema,
  steps: z.array(executionStepSchema),
  /** Node ids in the order first reached. */
  path: z.array(z.string()),
  assignments: z.array(executionAssignmentSchema),
  /** The router shard workflow, and its page in the Temporal Web UI when that is known. */
  temporal: z.object({ workflowId: z.string(), url: z.string().nullable() }),
});
export type ExecutionTrace = z.infer<typeof executionTraceSchema>;

/** What one conversation ended up with in one shadow replay pass. */
export const conversationOutcomeSchema = z.object({
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  tags: z.array(z.string()),
  priority: prioritySchema,
  /** Assign effects carried out (a reassignment or escalation counts again). */
  assignments: z.number().int(),
  /** Effects asked for by escalation ladder nodes: reassignments, lead hand-offs, pages. */
  escalations: z.number().int(),
  /** SLA timer nodes that left through `breached`. */
  slaBreaches: z.number().int(),
  /** Every effect the pass asked for, by type; none was carried out. */
  effects: z.record(z.string(), z.number().int()),
});
export type ConversationOutcome = z.infer<typeof conversationOutcomeSchema>;

export const conversationComparisonSchema = z.object({
  conversationId: z.string(),
  before: conversationOutcomeSchema,
  after: conversationOutcomeSchema,
  /** The last real assignee in the range, as stored: a check on the reconstruction. */
  recordedAssigneeId: z.string().nullable(),
  /** Which of assignee, team, tags, priority, escalations and SLA breaches differ. */
  differences: z.array(z.string()),
});
export type ConversationComparison = z.infer<typeof conversationComparisonSchema>;

export const agentLoadSchema = z.object({
  /** Conversations of the range whose final assignee is this agent. */
  assigned: z.number().int(),
  /** Open conversations the agent owns at the end of the range. */
  openAtEnd: z.number().int(),
});
export type AgentLoad = z.infer<typeof agentLoadSchema>;

const beforeAfter = <T extends z.ZodType>(schema: T) => z.object({ before: schema, after: schema });

export const shadowTotalsSchema = z.object({
  events: z.number().int(),
  conversations: z.number().int(),
  conversationsChanged: z.number().int(),
  /** Conversations whose final assignee differs. */
  assignmentsChanged: z.number().int(),
  loadPerAgent: z.record(z.string(), beforeAfter(agentLoadSchema)),
  slaBreaches: beforeAfter(z.number().int()),
  escalations: beforeAfter(z.number().int()),
  effects: beforeAfter(z.record(z.string(), z.number().int())),
});
export type ShadowTotals = z.infer<typeof shadowTotalsSchema>;

export const replayStatusSchema = z.enum(['queued', 'running', 'completed', 'cancelled', 'failed']);
export type ReplayStatus = z.infer<typeof replayStatusSchema>;

export const replayRunSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  /** Null for a draft graph. */
  targetVersionId: z.string().nullable(),
  from: z.number().int(),
  to: z.number().int(),
  status: replayStatusSchema,
  totalEvents: z.number().int(),
  processedEvents: z.number().int(),
  totals: shadowTotalsSchema.nullable(),
  error: z.string().nullable(),
  createdAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
});
export type ReplayRun = z.infer<typeof replayRunSchema>;
