import { describe, expect, it } from 'vitest';
import { leastSquaresSlope, mineHardItems, movingAverage, plateauCheck } from './curriculum';

const S = { plateau_window: 5, plateau_slope: 0.002, plateau_zero_std: 0.8 };

describe('plateau detector', () => {
  it('moving average and least-squares slope', () => {
    expect(movingAverage([1, 2, 3, 4, 5], 2)).toEqual([1.5, 2.5, 3.5, 4.5]);
    expect(leastSquaresSlope([1, 3, 5, 7])).toBeCloseTo(2, 12);
    expect(leastSquaresSlope([2, 2, 2])).toBe(0);
    // noisy line y = 0.5 − 0.1x: slope recovered
    expect(leastSquaresSlope([0.5, 0.41, 0.3, 0.19, 0.1])).toBeCloseTo(-0.102, 12);
    expect(() => movingAverage([1], 0)).toThrow(/window/);
  });

  it('stays quiet while the reward still climbs, fires once it flattens', () => {
    const climbing = Array.from({ length: 20 }, (_, i) => 0.2 + 0.02 * i);
    expect(plateauCheck(climbing, climbing.map(() => 0.1), S)).toBeNull();
    const flat = [...climbing, ...Array.from({ length: 12 }, (_, i) => 0.6 + (i % 2 ? 0.01 : -0.01))];
    const p = plateauCheck(flat, flat.map(() => 0.1), S)!;
    expect(p.signal).toBe('slope');
    expect(p.values.slope).toBeLessThan(0.002);
    expect(p.values.window).toBe(5);
    expect(p.reason).toMatch(/slope .*\/step < 0.002 over the last 5 steps/);
  });

  it('needs 2w − 1 steps before the slope can fire', () => {
    expect(plateauCheck([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], new Array(8).fill(0), S)).toBeNull();
    expect(plateauCheck(new Array(9).fill(0.5), new Array(9).fill(0), S)?.signal).toBe('slope');
  });

  it('fires on reward sparsity: most groups with zero reward std over the window', () => {
    const rising = Array.from({ length: 6 }, (_, i) => 0.1 * i);
    const p = plateauCheck(rising, [0.1, 0.9, 0.85, 0.9, 0.95, 0.8], S)!;
    expect(p.signal).toBe('zero_std');
    expect(p.values.frac_reward_zero_std_mean).toBeCloseTo(0.88, 12);
    // the mean, not every step, must exceed the threshold
    expect(plateauCheck(rising, [0.9, 0.9, 0.3, 0.9, 0.9, 0.9], S)).toBeNull();
  });
});

describe('hard-sample mining', () => {
  const outcomes = [
    { id: 'e-fail', difficulty: 'easy' as const, correct: 0, total: 4 },
    { id: 'd-some', difficulty: 'difficult' as const, correct: 2, total: 4 },
    { id: 'm-fail', difficulty: 'moderate' as const, correct: 1, total: 4 },
    { id: 'd-fail', difficulty: 'difficult' as const, correct: 0, total: 4 },
    { id: 'e-ok', difficulty: 'easy' as const, correct: 4, total: 4 },
    { id: 'd-ok', difficulty: 'difficult' as const, correct: 4, total: 4 },
  ];

  it('ranks repeated failures, Difficult first, and keeps the solved for replay', () => {
    const m = mineHardItems(outcomes);
    expect(m.mined).toEqual(['d-fail', 'd-some', 'm-fail', 'e-fail']);
    expect(m.solved).toEqual(['e-ok', 'd-ok']);
    expect(m.perTier).toEqual({ easy: 1, moderate: 1, difficult: 2 });
  });

  it('falls back to mostly-solved items for replay when nothing is always solved', () => {
    const m = mineHardItems(outcomes.filter((o) => o.correct < o.total));
    expect(m.solved).toEqual(['d-some']);
  });

  it('breaks ties deterministically, not alphabetically', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ id: `q${i}`, difficulty: 'difficult' as const, correct: 0, total: 2 }));
    const a = mineHardItems(many).mined;
    expect(mineHardItems([...many].reverse()).mined).toEqual(a);
    expect(a).not.toEqual([...a].sort());
  });

  it('rejects impossible scores with the item named', () => {
    expect(() => mineHardItems([{ id: 'x', difficulty: 'easy', correct: 5, total: 4 }])).toThrow(/item x: 5 correct of 4/);
  });
});
