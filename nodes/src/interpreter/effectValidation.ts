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
 * What the schema made of each distinct request lately (a checked effect, with a copy of the request
 * it was checked for), by a hash of the request. Most effects repeat: every conversation through an
 * assign node asks for the same assignment, and checking it with zod was the largest single cost of
 * a routed event in the router workflow. Only the context differs, and the schema passes those
 * strings through as they are, so a remembered effect with this request's context is what checking
 * it again would give — the same members in the same order. The hash is walked over the request in
 * place (its JSON text as the key cost 2.4 µs an effect, most of checking a remembered one); an
 * equal copy, compared member by member, makes a hit. Shared parts are frozen. A pure cache:
 * replays make the same effects.
 */
const checkedEffects = new Map<number, Array<{ request: unknown; effect: Effect }>>();
let remembered = 0;

export function checkEffect(request: EffectRequest, context: EffectContext): z.ZodSafeParseResult<Effect> {
  const hash = hashOf(FNV_OFFSET, request);
  const seen = checkedEffects.get(hash)?.find((entry) => sameValue(entry.request, request));
  if (seen) return { success: true, data: { ...seen.effect, ...context } };
  const parsed = effectSchema.safeParse({ ...request, ...context });
  if (parsed.success) {
    if (remembered >= MAX_REMEMBERED) {
      checkedEffects.clear();
      remembered = 0;
    }
    deepFreeze(parsed.data);
    // A copy: the node may change its request after asking (a path it keeps building).
    const entry = { request: copyOf(request), effect: parsed.data };
    const entries = checkedEffects.get(hash);
    if (entries) entries.push(entry);
    else checkedEffects.set(hash, [entry]);
    remembered += 1;
  }
  return parsed;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const mix = (hash: number, value: number) => Math.imul(hash ^ value, FNV_PRIME);

function hashText(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = mix(h, text.charCodeAt(i));
  return h;
}

/** FNV-1a over a JSON-like value, members in their order; anything else hashes by its kind alone. */
function hashOf(hash: number, value: unknown): number {
  switch (typeof value) {
    case 'string':
      return hashText(mix(hash, 1), value);
    case 'number':
      return mix(mix(hash, 2), value | 0);
    case 'boolean':
      return mix(hash, value ? 3 : 4);
    case 'undefined':
      return mix(hash, 5);
    case 'object': {
      if (value === null) return mix(hash, 6);
      let h = mix(hash, 7);
      if (Array.isArray(value)) {
        for (const item of value) h = hashOf(h, item);
        return mix(h, 8);
      }
      for (const name in value) h = hashOf(hashText(h, name), (value as Record<string, unknown>)[name]);
      return mix(h, 9);
    }
    default:
      return mix(hash, 10);
  }
}

/** Equal as JSON-like data: the same members (in any order), arrays item by item; plain objects only. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return false;
  let members = 0;
  for (const name in a) {
    if (!Object.hasOwn(b, name) || !sameValue(a[name], b[name])) return false;
    members += 1;
  }
  for (const _ in b) members -= 1;
  return members === 0;
}

/** A deep copy of JSON-like data, `undefined` members included, so that an equal request compares equal to it. */
function copyOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyOf);
  const copy: Record<string, unknown> = {};
  for (const name in value) copy[name] = copyOf((value as Record<string, unknown>)[name]);
  return copy;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
