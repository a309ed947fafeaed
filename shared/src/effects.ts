import { z } from 'zod';
import { assignmentExplanationSchema } from './assignment';
import { prioritySchema } from './events';
import { outboundMessageSchema } from './whatsappOutbound';

/*
 * Effects are what the pure interpreter asks the world to do. The router workflow carries them
 * out through activities; every effect has a key (execution, node, visit) so that a retried
 * activity finds its earlier result instead of acting twice.
 */

const effectContext = {
  key: z.string(),
  conversationId: z.string(),
  executionId: z.string(),
  workflowVersionId: z.string(),
  nodeId: z.string(),
};

export const assignStrategySchema = z.enum([
  'specific_agent',
  'round_robin',
  'least_loaded',
  'skill_match',
  'sticky',
  'team_lead',
]);
export type AssignStrategy = z.infer<typeof assignStrategySchema>;

export const requiredSkillSchema = z.object({
  skill: z.string().min(1),
  minLevel: z.number().int().min(1).max(5).default(1),
});
export type RequiredSkill = z.infer<typeof requiredSkillSchema>;

export const assignEffectSchema = z.object({
  type: z.literal('assign'),
  ...effectContext,
  strategy: assignStrategySchema,
  teamId: z.string().nullable(),
  /** specific_agent: who. */
  agentId: z.string().nullable().default(null),
  /** skill_match: what the agent needs; `fallback` picks among the team when nobody has it. */
  skills: z.array(requiredSkillSchema).default([]),
  fallback: z.enum(['none', 'round_robin', 'least_loaded']).default('none'),
  /** Skip agents who are not online (most strategies want this). */
  onlyOnline: z.boolean().default(true),
  /** Skip agents outside their weekly shift, in their own time zone. */
  respectShifts: z.boolean().default(false),
  /** Reassignment: never hand it back to these agents. */
  excludeAgentIds: z.array(z.string()).default([]),
  /** Node ids the execution passed through to get here, for the explanation. */
  path: z.array(z.string()),
});

export const tagEffectSchema = z.object({
  type: z.literal('tag'),
  ...effectContext,
  tag: z.string().min(1),
  change: z.enum(['add', 'remove']),
});

export const setPriorityEffectSchema = z.object({
  type: z.literal('setPriority'),
  ...effectContext,
  priority: prioritySchema,
});

export const setStatusEffectSchema = z.object({
  type: z.literal('setStatus'),
  ...effectContext,
  status: z.enum(['open', 'closed']),
});

export const noteEffectSchema = z.object({
  type: z.literal('note'),
  ...effectContext,
  text: z.string(),
  /** Agent ids to notify (the @mentions, resolved by the node from the text). */
  mentions: z.array(z.string()),
});

export const notifyRecipientSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('assignee') }),
  z.object({ kind: z.literal('team'), teamId: z.string() }),
  z.object({ kind: z.literal('teamLead'), teamId: z.string().nullable() }),
  z.object({ kind: z.literal('role'), role: z.enum(['admin', 'manager', 'agent']) }),
  z.object({ kind: z.literal('agents'), agentIds: z.array(z.string()).min(1) }),
]);
export type NotifyRecipient = z.infer<typeof notifyRecipientSchema>;

export const notifyEffectSchema = z.object({
  type: z.literal('notify'),
  ...effectContext,
  channels: z.array(z.enum(['in_app', 'email', 'slack'])).min(1),
  to: notifyRecipientSchema,
  title: z.string(),
  body: z.string(),
  /** Slack-compatible incoming webhook URL, for the `slack` channel. */
  slackWebhookUrl: z.string().url().nullable().default(null),
});

export const sendWhatsAppEffectSchema = z.object({
  type: z.literal('sendWhatsApp'),
  ...effectContext,
  /** The Cloud API `messages` request body, minus `messaging_product` and `to`. */
  message: outboundMessageSchema,
  /** Free-form messages are refused outside the 24-hour customer-service window. */
  requiresOpenWindow: z.boolean(),
});

export const httpRequestEffectSchema = z.object({
  type: z.literal('httpRequest'),
  ...effectContext,
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  url: z.string().url(),
  headers: z.record(z.string(), z.string()),
  body: z.string().nullable(),
  timeoutMs: z.number().int().positive(),
  retries: z.number().int().min(0).max(10),
});

export const startWorkflowEffectSchema = z.object({
  type: z.literal('startWorkflow'),
  ...effectContext,
  workflowId: z.string(),
});

export const effectSchema = z.discriminatedUnion('type', [
  assignEffectSchema,
  tagEffectSchema,
  setPriorityEffectSchema,
  setStatusEffectSchema,
  noteEffectSchema,
  notifyEffectSchema,
  sendWhatsAppEffectSchema,
  httpRequestEffectSchema,
  startWorkflowEffectSchema,
]);
export type AssignEffect = z.infer<typeof assignEffectSchema>;
export type Effect = z.infer<typeof effectSchema>;
export type EffectType = Effect['type'];

/** Distributes Omit over the union so each variant keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What a node asks for; the interpreter adds the context fields. Defaults may be left out. */
export type EffectRequest = DistributiveOmit<z.input<typeof effectSchema>, keyof typeof effectContext>;

export const assignResultSchema = z.object({
  type: z.literal('assign'),
  assignmentId: z.string(),
  agentId: z.string().nullable(),
  explanation: assignmentExplanationSchema,
});
export const httpResultSchema = z.object({
  type: z.literal('httpRequest'),
  status: z.number().int(),
  ok: z.boolean(),
});
export const sendResultSchema = z.object({
  type: z.literal('sendWhatsApp'),
  /** Null when the send was refused (e.g. outside the 24-hour window). */
  waMessageId: z.string().nullable(),
  refusedReason: z.string().nullable(),
});
/** Effects without a meaningful result report just that they were done. */
export const doneResultSchema = z.object({ type: z.literal('done') });
export const effectResultSchema = z.discriminatedUnion('type', [
  assignResultSchema,
  httpResultSchema,
  sendResultSchema,
  doneResultSchema,
]);
export type AssignResult = z.infer<typeof assignResultSchema>;
export type EffectResult = z.infer<typeof effectResultSchema>;
/**
 * What an execution needs of an effect's result to go on. An assignment's explanation stays with
 * the stored assignment: the router's shards get results without it (smaller histories), while the
 * editor's dry run and shadow replay pass whole results.
 */
export type StepEffectResult = Exclude<EffectResult, AssignResult> | Omit<AssignResult, 'explanation'>;
