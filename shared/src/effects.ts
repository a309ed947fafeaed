import { z } from 'zod';
import { assignmentExplanationSchema } from './assignment';

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

export const assignStrategySchema = z.enum(['round_robin']);
export type AssignStrategy = z.infer<typeof assignStrategySchema>;

export const assignEffectSchema = z.object({
  type: z.literal('assign'),
  ...effectContext,
  strategy: assignStrategySchema,
  teamId: z.string(),
  /** Node ids the execution passed through to get here, for the explanation. */
  path: z.array(z.string()),
});

export const effectSchema = z.discriminatedUnion('type', [assignEffectSchema]);
export type AssignEffect = z.infer<typeof assignEffectSchema>;
export type Effect = z.infer<typeof effectSchema>;

/** Distributes Omit over the union so each variant keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What a node asks for; the interpreter adds the context fields. */
export type EffectRequest = DistributiveOmit<Effect, keyof typeof effectContext>;

export const assignResultSchema = z.object({
  type: z.literal('assign'),
  assignmentId: z.string(),
  agentId: z.string().nullable(),
  explanation: assignmentExplanationSchema,
});
export const effectResultSchema = z.discriminatedUnion('type', [assignResultSchema]);
export type AssignResult = z.infer<typeof assignResultSchema>;
export type EffectResult = z.infer<typeof effectResultSchema>;
