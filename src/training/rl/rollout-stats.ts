/**
 * What a step's rollouts say, in TRL's metric names: reward mean/std over all completions,
 * frac_reward_zero_std (share of groups whose completions all scored the same, so they carry no
 * signal), completion lengths and the clipped (truncated) share (per-tier figures: task/reward.ts
 * perTierMetrics). Pure functions over plain numbers.
 */
import type { ScaleRewards } from '../../gpu/kernels/grpo-cpu';
import type { Difficulty } from '../../synthesis/record';

export interface ScoredCompletion {
  difficulty: Difficulty;
  reward: number;
  correctness: number;
  format: number;
  /** completion tokens, the stop token included (TRL counts the EOS) */
  length: number;
  truncated: boolean;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** unbiased standard deviation (torch.std / TRL's nanstd), 0 for fewer than two values */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

export interface RewardStats {
  reward: number;
  reward_std: number;
  frac_reward_zero_std: number;
}

/**
 * TRL: reward and reward_std over every completion; frac_reward_zero_std is the share of
 * completions whose std (group std for "group"/"none", batch std for "batch") is zero.
 */
export function rewardStats(rewards: readonly number[], groupSize: number, scale: ScaleRewards): RewardStats {
  if (rewards.length % groupSize !== 0) throw new Error(`rewardStats: ${rewards.length} rewards is not a whole number of groups of ${groupSize}`);
  let zero = 0;
  if (scale === 'batch') {
    zero = Math.abs(sampleStd(rewards)) < 1e-8 ? rewards.length : 0;
  } else {
    for (let g = 0; g < rewards.length; g += groupSize) if (Math.abs(sampleStd(rewards.slice(g, g + groupSize))) < 1e-8) zero += groupSize;
  }
  return { reward: mean(rewards), reward_std: sampleStd(rewards), frac_reward_zero_std: rewards.length ? zero / rewards.length : 0 };
}

export interface CompletionStats {
  'completions/mean_length': number;
  'completions/min_length': number;
  'completions/max_length': number;
  'completions/clipped_ratio': number;
}

export function completionStats(cs: readonly Pick<ScoredCompletion, 'length' | 'truncated'>[]): CompletionStats {
  const lengths = cs.map((c) => c.length);
  return {
    'completions/mean_length': mean(lengths),
    'completions/min_length': lengths.length ? Math.min(...lengths) : 0,
    'completions/max_length': lengths.length ? Math.max(...lengths) : 0,
    'completions/clipped_ratio': cs.length ? cs.filter((c) => c.truncated).length / cs.length : 0,
  };
}
