import { type Effect, type EffectRequest, effectSchema } from '@switchboard/shared';
import type { z } from 'zod';
import { deepFreeze } from './graphIndex';

/** The fields the interpreter adds to what a node asks for: plain strings in every effect's schema. */
export interface EffectContext {
  key: string;
  conversationId: string;
  executionId: string;
  workflowVersionId: string;
  nodeId: string;
}

/** Distinct requests remembered at most; past it the memory starts again. */
const MAX_REMEMBERED = 1_000;

/**
 * What the schema made of each distinct request lately (its JSON text → a checked effect). Most
 * effects repeat: every conversation through an assign node asks for the same assignment, and
 * checking it with zod was the largest single cost of a routed event in the router workflow.
 * Only the context differs, and the schema passes those strings through as they are, so a
 * remembered effect with this request's context is what checking it again would give — the same
 * members in the same order. Shared parts are frozen. A pure cache: replays make the same effects.
 */
const checkedEffects = new Map<string, Effect>();

export function checkEffect(request: EffectRequest, context: EffectContext): z.ZodSafeParseResult<Effect> {
  const text = JSON.stringify(request);
  const remembered = checkedEffects.get(text);
  if (remembered) return { success: true, data: { ...remembered, ...context } };
  const parsed = effectSchema.safeParse({ ...request, ...context });
  if (parsed.success) {
    if (checkedEffects.size >= MAX_REMEMBERED) checkedEffects.clear();
    deepFreeze(parsed.data);
    checkedEffects.set(text, parsed.data);
  }
  return parsed;
}
