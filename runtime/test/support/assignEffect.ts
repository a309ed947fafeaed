import { type AssignEffect, assignEffectSchema } from '@switchboard/shared';

/**
 * An assign effect as a shard asks for it of conversation `conversationId`, first attempt of node
 * `nodeId`: keys and execution derived from the conversation, schema defaults for the rest.
 */
export function anAssignEffect(
  conversationId: string,
  fields: Partial<AssignEffect> & Pick<AssignEffect, 'nodeId' | 'strategy' | 'teamId'>,
): AssignEffect {
  return assignEffectSchema.parse({
    type: 'assign',
    key: `exec-${conversationId}:${fields.nodeId}:1`,
    conversationId,
    executionId: `exec-${conversationId}`,
    workflowVersionId: 'v-1',
    path: [],
    ...fields,
  });
}
