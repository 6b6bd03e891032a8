/**
 * GRPO maths in float64, TRL-compatible (GRPOTrainer; names as GRPOConfig). Pure functions:
 * the reference for the GPU kernels and what the Learn GRPO view can show step by step.
 */
export type ScaleRewards = 'group' | 'batch' | 'none';
/**
 * TRL's loss_type (GRPOTrainer._compute_loss), plus 'paper' (Fleming-R1 eq. 1: −A·logp, no ratio).
 * The order is the shader's mode index: keep it.
 */
export type LossType = 'grpo' | 'dr_grpo' | 'dapo' | 'paper' | 'bnpo' | 'cispo';
export const SCALE_REWARDS: readonly ScaleRewards[] = ['group', 'batch', 'none'];
export const LOSS_TYPES: readonly LossType[] = ['grpo', 'dr_grpo', 'dapo', 'paper', 'bnpo', 'cispo'];

const mean = (xs: ArrayLike<number>, from: number, to: number) => {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i]!;
  return s / (to - from);
};
/** sample standard deviation (N−1), as torch.std */
const std = (xs: ArrayLike<number>, from: number, to: number) => {
  const m = mean(xs, from, to);
  let s = 0;
  for (let i = from; i < to; i++) s += (xs[i]! - m) ** 2;
  return Math.sqrt(s / (to - from - 1));
};

/** A_i = r_i − mean(group), divided by (std + 1e-4) of the group, of the batch, or not at all. */
export function grpoAdvantagesCpu(rewards: ArrayLike<number>, groupSize: number, scale: ScaleRewards): Float64Array {
  const n = rewards.length;
  const out = new Float64Array(n);
  const batchStd = scale === 'batch' ? std(rewards, 0, n) : 0;
  for (let g = 0; g < n; g += groupSize) {
    const m = mean(rewards, g, g + groupSize);
    const div = scale === 'group' ? std(rewards, g, g + groupSize) + 1e-4 : scale === 'batch' ? batchStd + 1e-4 : 1;
    for (let i = g; i < g + groupSize; i++) out[i] = (rewards[i]! - m) / div;
  }
  return out;
}

export interface GrpoLossConfig {
  n: number;
  t: number;
  epsilon_low: number;
  epsilon_high: number;
  beta: number;
  loss_type: LossType;
  max_completion_length: number;
  /** dapo/cispo normaliser (TRL's num_items_in_batch): masked tokens of the whole step; default = this batch's */
  num_items_in_batch?: number;
}

export interface GrpoLossInputs {
  logp: ArrayLike<number>;
  old_logp: ArrayLike<number>;
  ref_logp: ArrayLike<number>;
  advantages: ArrayLike<number>;
  mask: ArrayLike<number>;
}

/**
 * Aggregation weight of token (i, t) for each loss_type (TRL's normalisers, with its clamp(min=1)):
 * grpo mask/(N·max(1,|o_i|)); dr_grpo mask/(N·max_completion_length); bnpo mask/max(1, Σ mask)
 * over this batch; dapo and cispo mask/max(1, num_items_in_batch), the masked tokens of the whole
 * generation batch (`num_items_in_batch`, default this batch's count);
 * paper mask/N.
 */
export function tokenWeights(mask: ArrayLike<number>, c: GrpoLossConfig): Float64Array {
  const { n, t } = c;
  const w = new Float64Array(n * t);
  let total = 0;
  const rowCount = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < t; j++) rowCount[i]! += mask[i * t + j]!;
  for (let i = 0; i < n; i++) total += rowCount[i]!;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < t; j++) {
      const m = mask[i * t + j]!;
      w[i * t + j] =
        c.loss_type === 'grpo' ? m / (n * Math.max(1, rowCount[i]!))
        : c.loss_type === 'dr_grpo' ? m / (n * c.max_completion_length)
        : c.loss_type === 'bnpo' ? m / Math.max(1, total)
        : c.loss_type === 'dapo' || c.loss_type === 'cispo' ? m / Math.max(1, c.num_items_in_batch ?? total)
        : m / n;
    }
  return w;
}

/**
 * Per-token loss l and ∂l/∂logp before aggregation. cispo (TRL): l = −min(ρ, ε_high)·A·logp with
 * the clamped ratio detached, so its gradient is −min(ρ, ε_high)·A (ε_high is an absolute cap there).
 */
export function tokenLoss(logp: number, oldLogp: number, refLogp: number, a: number, c: GrpoLossConfig): [number, number] {
  if (c.loss_type === 'paper') return [-a * logp, -a];
  const rho = Math.exp(logp - oldLogp);
  let l: number;
  let g: number;
  if (c.loss_type === 'cispo') {
    const w = Math.min(rho, c.epsilon_high);
    l = -w * a * logp;
    g = -w * a;
  } else {
    const clipped = Math.min(Math.max(rho, 1 - c.epsilon_low), 1 + c.epsilon_high);
    const u = rho * a;
    const v = clipped * a;
    l = -Math.min(u, v);
    g = u <= v ? -u : 0;
  }
  if (c.beta !== 0) {
    const dr = refLogp - logp;
    l += c.beta * (Math.exp(dr) - dr - 1);
    g += c.beta * (1 - Math.exp(dr));
  }
  return [l, g];
}

/** loss = Σ w·l over tokens and dlogp = ∂loss/∂logp ([n, t]). */
export function grpoLossCpu(x: GrpoLossInputs, c: GrpoLossConfig): { loss: number; dlogp: Float64Array } {
  const w = tokenWeights(x.mask, c);
  const dlogp = new Float64Array(c.n * c.t);
  let loss = 0;
  for (let i = 0; i < c.n; i++)
    for (let j = 0; j < c.t; j++) {
      const k = i * c.t + j;
      if (w[k] === 0) continue;
      const [l, g] = tokenLoss(x.logp[k]!, x.old_logp[k]!, x.ref_logp[k]!, x.advantages[i]!, c);
      loss += w[k]! * l;
      dlogp[k] = w[k]! * g;
    }
  return { loss, dlogp };
}
