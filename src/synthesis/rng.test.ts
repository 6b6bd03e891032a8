import { describe, expect, it } from 'vitest';
import { longTailWeight, Rng, WeightedSampler } from './rng';

describe('seeded RNG and long-tail weights', () => {
  it('repeats for a seed and differs across seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xs = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(xs);
    for (let i = 0; i < 1000; i++) {
      const x = a.next();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('draws indices in proportion to their weights', () => {
    const s = new WeightedSampler([1, 0, 3, 6]);
    const rng = new Rng(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[s.draw(rng)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 20000).toBeCloseTo(0.1, 1);
    expect(counts[2]! / 20000).toBeCloseTo(0.3, 1);
    expect(counts[3]! / 20000).toBeCloseTo(0.6, 1);
    expect(() => new WeightedSampler([1, -1])).toThrow(/weight 1 is -1/);
  });

  it('weights (degree+1)^(−α): uniform at α = 0, favouring low degree otherwise', () => {
    expect(longTailWeight(100, 0)).toBe(1);
    expect(longTailWeight(0, 1)).toBe(1);
    expect(longTailWeight(3, 1)).toBe(0.25);
    expect(longTailWeight(3, 2)).toBe(1 / 16);
  });
});
