import { describe, expect, it } from 'vitest';
import { microBatchRanges, rolloutBatch } from './rollout-batch';
import { completionStats, rewardStats, sampleStd } from './rollout-stats';

describe('rollout rows', () => {
  it('put targets on completion tokens only, right-pad, and mask truncated rows', () => {
    const b = rolloutBatch(
      [
        { prompt: [0, 5, 6], completion: [7, 1], masked: false },
        { prompt: [0, 5], completion: [8, 9, 9], masked: true },
        { prompt: [0], completion: [4], masked: false },
      ],
      2,
    );
    expect([b.B, b.T]).toEqual([3, 4]);
    // row 0: seq 0 5 6 7 1 → ids 0 5 6 7, targets −1 −1 7 1
    expect([...b.ids.slice(0, 4)]).toEqual([0, 5, 6, 7]);
    expect([...b.targets.slice(0, 4)]).toEqual([-1, -1, 7, 1]);
    // row 1 masked: ids 0 5 8 9, no targets
    expect([...b.ids.slice(4, 8)]).toEqual([0, 5, 8, 9]);
    expect([...b.targets.slice(4, 8)]).toEqual([-1, -1, -1, -1]);
    // row 2: ids 0 pad pad pad, target 4 at position 0
    expect([...b.ids.slice(8)]).toEqual([0, 2, 2, 2]);
    expect([...b.targets.slice(8)]).toEqual([4, -1, -1, -1]);
  });
  it('cut rows into micro-batches', () => {
    expect(microBatchRanges(5, 2)).toEqual([[0, 2], [2, 4], [4, 5]]);
  });
});

describe('rollout statistics (TRL names)', () => {
  it('reward, unbiased std and the share of zero-std groups', () => {
    const r = [1, 1, 1, 1, 0, 1, 0, 1];
    const s = rewardStats(r, 4, 'group');
    expect(s.reward).toBeCloseTo(0.75);
    expect(s.reward_std).toBeCloseTo(sampleStd(r));
    expect(sampleStd([0, 1])).toBeCloseTo(Math.SQRT1_2);
    expect(s.frac_reward_zero_std).toBe(0.5);
    expect(rewardStats([1, 1, 1, 1], 2, 'batch').frac_reward_zero_std).toBe(1);
    expect(rewardStats([1, 0, 1, 1], 2, 'batch').frac_reward_zero_std).toBe(0);
  });
  it('completion lengths and clipped ratio', () => {
    const cs = [
      { difficulty: 'easy' as const, reward: 1.5, correctness: 1, format: 1, length: 10, truncated: false },
      { difficulty: 'easy' as const, reward: 0.5, correctness: 0, format: 1, length: 20, truncated: false },
      { difficulty: 'difficult' as const, reward: 0, correctness: 0, format: 0, length: 64, truncated: true },
    ];
    expect(completionStats(cs)).toEqual({ 'completions/mean_length': 94 / 3, 'completions/min_length': 10, 'completions/max_length': 64, 'completions/clipped_ratio': 1 / 3 });
  });
});
