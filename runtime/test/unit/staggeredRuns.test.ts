import { describe, expect, it } from 'vitest';
import { staggeredWeight } from '../../src/routing/routerWorkflow';

describe('staggeredWeight', () => {
  it('gives four neighbouring shards runs of different lengths, none longer than the limit', () => {
    const weights = [0, 1, 2, 3].map((shard) => staggeredWeight(6000, shard));
    expect(new Set(weights).size).toBe(4);
    for (const weight of weights) {
      expect(weight).toBeLessThanOrEqual(6000);
      expect(weight).toBeGreaterThanOrEqual(6000 * 0.7);
    }
    // A tenth of a run apart, so that equal traffic does not bring their continue-as-new together.
    const sorted = [...weights].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++)
      expect((sorted[i] as number) - (sorted[i - 1] as number)).toBeGreaterThanOrEqual(600);
  });

  it('repeats every four shards', () => {
    expect(staggeredWeight(6000, 5)).toBe(staggeredWeight(6000, 1));
    expect(staggeredWeight(6000, 0)).toBe(6000);
  });
});
