import { type EffectRequest, effectSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { checkEffect, type EffectContext } from './effectValidation';

const contextOf = (n: number): EffectContext => ({
  key: `exec-${n}:assign:1:1`,
  conversationId: `conv-${n}`,
  executionId: `exec-${n}`,
  workflowVersionId: 'version-1',
  nodeId: 'assign',
});

type AssignRequest = Extract<EffectRequest, { type: 'assign' }>;

const assign = (path: string[], overrides: Partial<AssignRequest> = {}): AssignRequest => ({
  type: 'assign',
  strategy: 'round_robin',
  teamId: 'team-support',
  path,
  ...overrides,
});

describe('checking the effects nodes ask for', () => {
  it('a request seen before gives what the schema gives, member for member and in order', () => {
    for (const n of [1, 2, 3]) {
      const request = assign(['trigger', 'assign']);
      const checked = checkEffect(request, contextOf(n));
      const bySchema = effectSchema.safeParse({ ...request, ...contextOf(n) });
      expect(checked.success && bySchema.success).toBe(true);
      expect(JSON.stringify(checked.data)).toBe(JSON.stringify(bySchema.data));
    }
  });

  it('a request that differs is checked on its own: a bad one fails after a good one of the same node', () => {
    expect(checkEffect(assign(['trigger', 'assign']), contextOf(1)).success).toBe(true);
    const bad = { ...assign(['trigger', 'assign']), strategy: 'whoever_is_free' } as unknown as EffectRequest;
    const checked = checkEffect(bad, contextOf(2));
    expect(checked.success).toBe(false);
    expect(checked.error?.issues[0]?.path).toEqual(['strategy']);
  });

  it('is keyed by what the request holds when asked, not by the object', () => {
    const path = ['trigger'];
    const first = checkEffect(assign(path), contextOf(1));
    path.push('hours', 'assign');
    const second = checkEffect(assign(path), contextOf(2));
    expect(first.data).toMatchObject({ path: ['trigger'], conversationId: 'conv-1' });
    expect(second.data).toMatchObject({ path: ['trigger', 'hours', 'assign'], conversationId: 'conv-2' });
  });

  it('what effects share is frozen: a write to it fails instead of changing later effects', () => {
    checkEffect(assign(['trigger', 'assign']), contextOf(1));
    const later = checkEffect(assign(['trigger', 'assign']), contextOf(2));
    if (!later.success || later.data.type !== 'assign') throw new Error('expected an assign effect');
    const { path } = later.data;
    expect(() => path.push('elsewhere')).toThrow(TypeError);
    expect(checkEffect(assign(['trigger', 'assign']), contextOf(3)).data).toMatchObject({
      path: ['trigger', 'assign'],
    });
  });

  it('an equal request with its members in another order, or an undefined one, gives what the schema gives', () => {
    checkEffect(assign(['trigger', 'assign']), contextOf(1));
    const reordered = {
      path: ['trigger', 'assign'],
      teamId: 'team-support',
      strategy: 'round_robin',
      type: 'assign',
    };
    const withUndefined = { ...assign(['trigger', 'assign']), agentId: undefined };
    for (const [n, request] of [reordered, withUndefined, withUndefined].entries()) {
      const checked = checkEffect(request as EffectRequest, contextOf(n + 2));
      const bySchema = effectSchema.safeParse({ ...request, ...contextOf(n + 2) });
      expect(JSON.stringify(checked.data)).toBe(JSON.stringify(bySchema.data));
    }
  });

  it('requests that differ anywhere, however deep, are told apart', () => {
    const variants: EffectRequest[] = [
      assign(['a', 'b']),
      assign(['b', 'a']),
      assign(['ab']),
      assign(['a', 'b', 'c']),
      assign(['a', 'b'], { teamId: 'team-sales' }),
      assign(['a', 'b'], { strategy: 'least_loaded' }),
    ];
    for (const round of [1, 2]) {
      for (const [n, request] of variants.entries()) {
        const checked = checkEffect(request, contextOf(n));
        const bySchema = effectSchema.safeParse({ ...request, ...contextOf(n) });
        expect(JSON.stringify(checked.data), `round ${round}, variant ${n}`).toBe(
          JSON.stringify(bySchema.data),
        );
      }
    }
  });
});
