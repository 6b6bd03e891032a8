/**
 * The numbers the Learn GRPO classroom shows for one group of G completions of one prompt:
 * rewards, group mean and std, advantages, and per token the aggregation weight, the ratio,
 * whether the clip bites, the token's share of the loss and ∂loss/∂logp. Computed with the GRPO
 * CPU reference (gpu/kernels/grpo-cpu.ts, TRL's GRPOTrainer maths), so the classroom and the
 * trainer cannot disagree. Pure functions: no React, no model.
 */
import { grpoAdvantagesCpu, grpoLossCpu, tokenLoss, tokenWeights, type GrpoLossConfig, type LossType, type ScaleRewards } from '../../gpu/kernels/grpo-cpu';

export interface ClassroomCompletion {
  /** completion tokens (the stop token included when reached), as text for display */
  tokens: string[];
  /** log π_θ(token | prefix) under the current policy */
  logp: number[];
  /** log-probs of the policy that sampled this completion (TRL's old_per_token_logps) */
  oldLogp: number[];
  /** log-probs of the frozen reference policy (the KL term reads them) */
  refLogp: number[];
  /** 1 when the extracted <answer> is the gold one */
  correctness: number;
  /** 1 when the completion follows <think>…</think><answer>…</answer> */
  format: number;
  /** hit max_completion_length without a stop token */
  truncated: boolean;
}

export interface ClassroomSettings {
  loss_type: LossType;
  scale_rewards: ScaleRewards;
  beta: number;
  epsilon: number;
  epsilon_high: number;
  /** reward = w[0]·correctness + w[1]·format */
  reward_weights: [number, number];
  max_completion_length: number;
  mask_truncated_completions: boolean;
}

export interface TokenNumbers {
  text: string;
  /** aggregation weight of this token in the loss (loss_type's normaliser); 0 = not in the loss */
  weight: number;
  /** π_θ / π_old = exp(logp − oldLogp): 1 on-policy */
  ratio: number;
  /** the clip zeroes this token's gradient: ratio above 1+ε_high with A > 0, or below 1−ε with A < 0 (TRL's clip_ratio) */
  clipped: 'low' | 'high' | null;
  /** this token's share of the loss: weight · per-token loss */
  loss: number;
  /** ∂loss/∂logp of this token: negative = a gradient step raises its log-prob */
  grad: number;
  /** k3 KL estimate to the reference at this token */
  kl: number;
}

export interface CompletionNumbers {
  reward: number;
  advantage: number;
  /** Σ over tokens of the loss shares */
  loss: number;
  /** Σ over tokens of ∂loss/∂logp: how hard the step pushes this completion's log-probability (negative = up) */
  grad: number;
  /** Σ_t logp: the completion's log-probability under the current policy */
  logp: number;
  masked: boolean;
  tokens: TokenNumbers[];
}

export interface ClassroomNumbers {
  rewards: number[];
  /** group mean reward: the baseline (the paper's r̄_G(x), eq. 3) */
  mean: number;
  /** group standard deviation, unbiased (N−1) as torch.std */
  std: number;
  /** what the reward difference was divided by: std + 1e-4 ("group"), the batch std + 1e-4 ("batch", one group here), or 1 ("none") */
  divisor: number;
  advantages: number[];
  /** every reward equal: every advantage is 0 and the group teaches nothing */
  allEqual: boolean;
  /** the aggregated loss (loss_type) */
  loss: number;
  /** mean k3 KL over the tokens in the loss */
  kl: number;
  /** share of loss tokens whose gradient the clip zeroed */
  clipRatio: number;
  /** every ratio is 1 (no update since sampling) */
  onPolicy: boolean;
  /** largest |∂loss/∂logp| over all tokens (the colour scale) */
  maxAbsGrad: number;
  completions: CompletionNumbers[];
}

export const reward = (c: Pick<ClassroomCompletion, 'correctness' | 'format'>, w: [number, number]) => w[0] * c.correctness + w[1] * c.format;

/** sample mean and unbiased std (as torch.std, 0 for fewer than two values) */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  if (xs.length < 2) return { mean, std: 0 };
  return { mean, std: Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) };
}

/** the loss configuration the trainer would use for this group (epsilon_low = epsilon, as TRL) */
export function lossConfig(s: ClassroomSettings, n: number, t: number): GrpoLossConfig {
  return { n, t, epsilon_low: s.epsilon, epsilon_high: s.epsilon_high, beta: s.beta, loss_type: s.loss_type, max_completion_length: s.max_completion_length };
}

/** Completions as [n, t] arrays (t = longest), padded with mask 0. */
export function packGroup(cs: readonly ClassroomCompletion[], s: Pick<ClassroomSettings, 'mask_truncated_completions'>) {
  const n = cs.length;
  const t = Math.max(1, ...cs.map((c) => c.tokens.length));
  const logp = new Float64Array(n * t);
  const old = new Float64Array(n * t);
  const ref = new Float64Array(n * t);
  const mask = new Float64Array(n * t);
  cs.forEach((c, i) => {
    if (c.logp.length !== c.tokens.length || c.oldLogp.length !== c.tokens.length || c.refLogp.length !== c.tokens.length)
      throw new Error(`completion ${i}: ${c.tokens.length} tokens but ${c.logp.length}/${c.oldLogp.length}/${c.refLogp.length} log-probs (current/old/reference)`);
    const masked = s.mask_truncated_completions && c.truncated;
    for (let j = 0; j < c.tokens.length; j++) {
      logp[i * t + j] = c.logp[j]!;
      old[i * t + j] = c.oldLogp[j]!;
      ref[i * t + j] = c.refLogp[j]!;
      mask[i * t + j] = masked ? 0 : 1;
    }
  });
  return { n, t, logp, old, ref, mask };
}

/** Every number of one classroom step, from the GRPO CPU reference. */
export function classroomNumbers(cs: readonly ClassroomCompletion[], s: ClassroomSettings): ClassroomNumbers {
  if (cs.length < 2) throw new Error(`a group needs at least two completions to compare, got ${cs.length}`);
  const rewards = cs.map((c) => reward(c, s.reward_weights));
  const { mean, std } = meanStd(rewards);
  const advantages = [...grpoAdvantagesCpu(rewards, cs.length, s.scale_rewards)];
  const divisor = s.scale_rewards === 'none' ? 1 : std + 1e-4; // one group: batch std = group std
  const p = packGroup(cs, s);
  const cfg = lossConfig(s, p.n, p.t);
  const w = tokenWeights(p.mask, cfg);
  const { loss, dlogp } = grpoLossCpu({ logp: p.logp, old_logp: p.old, ref_logp: p.ref, advantages, mask: p.mask }, cfg);
  let klSum = 0;
  let inLoss = 0;
  let clippedCount = 0;
  let maxAbsGrad = 0;
  let onPolicy = true;
  const completions = cs.map((c, i): CompletionNumbers => {
    const a = advantages[i]!;
    let rowLoss = 0;
    let rowGrad = 0;
    const tokens = c.tokens.map((text, j): TokenNumbers => {
      const k = i * p.t + j;
      const ratio = Math.exp(p.logp[k]! - p.old[k]!);
      if (Math.abs(ratio - 1) > 1e-12) onPolicy = false;
      const [l] = tokenLoss(p.logp[k]!, p.old[k]!, p.ref[k]!, a, cfg);
      const dr = p.ref[k]! - p.logp[k]!;
      const kl = Math.exp(dr) - dr - 1;
      const ratioClip = s.loss_type !== 'paper' && s.loss_type !== 'cispo';
      const clipped = !ratioClip ? null : ratio < 1 - s.epsilon && a < 0 ? 'low' : ratio > 1 + s.epsilon_high && a > 0 ? 'high' : null;
      const share = w[k]! * l;
      if (p.mask[k]) {
        inLoss++;
        klSum += kl;
        if (clipped) clippedCount++;
      }
      rowLoss += share;
      rowGrad += dlogp[k]!;
      maxAbsGrad = Math.max(maxAbsGrad, Math.abs(dlogp[k]!));
      return { text, weight: w[k]!, ratio, clipped, loss: share, grad: dlogp[k]!, kl };
    });
    return {
      reward: rewards[i]!,
      advantage: a,
      loss: rowLoss,
      grad: rowGrad,
      logp: c.logp.reduce((x, y) => x + y, 0),
      masked: s.mask_truncated_completions && c.truncated,
      tokens,
    };
  });
  return {
    rewards,
    mean,
    std,
    divisor,
    advantages,
    allEqual: rewards.every((r) => r === rewards[0]),
    loss,
    kl: inLoss ? klSum / inLoss : 0,
    clipRatio: inLoss ? clippedCount / inLoss : 0,
    onPolicy,
    maxAbsGrad,
    completions,
  };
}

/**
 * How each completion's log-probability moved in one step: Σ_t (after − before), and per token.
 * `before` and `after` are per-token log-probs of the same completions.
 */
export function logprobShift(before: readonly (readonly number[])[], after: readonly (readonly number[])[]): { total: number[]; perToken: number[][] } {
  if (before.length !== after.length) throw new Error(`log-prob shift: ${before.length} completions before, ${after.length} after`);
  const perToken = before.map((b, i) => {
    const a = after[i]!;
    if (a.length !== b.length) throw new Error(`log-prob shift: completion ${i} has ${b.length} tokens before and ${a.length} after`);
    return b.map((x, j) => a[j]! - x);
  });
  return { total: perToken.map((d) => d.reduce((x, y) => x + y, 0)), perToken };
}

/**
 * What scale_rewards does to two prompts of different difficulty: the advantages of a mostly-solved
 * group and of a half-solved one, with and without the division by the std. Dividing by a small std
 * (a group that is nearly all right or all wrong) inflates its advantages, so easy and hard prompts
 * weigh as much as informative ones (the bias Dr. GRPO removes with scale_rewards="none").
 */
export function scalingComparison(groups: Record<string, number[]>): Array<{ name: string; rewards: number[]; mean: number; std: number; group: number[]; none: number[] }> {
  return Object.entries(groups).map(([name, rewards]) => {
    const { mean, std } = meanStd(rewards);
    return { name, rewards, mean, std, group: [...grpoAdvantagesCpu(rewards, rewards.length, 'group')], none: [...grpoAdvantagesCpu(rewards, rewards.length, 'none')] };
  });
}
