/**
 * The training objective of one optimizer step, worked out on the CPU from what the CPU
 * already knows (targets, advantages, loss_type), shared by the CPU and GPU models so both
 * aggregate micro-batches identically.
 *
 * Each token gets an aggregation weight w, and the step's loss is Σ w·l over every token of
 * every micro-batch (l = −logp for SFT, TRL's per-token GRPO loss otherwise). Micro-batches
 * follow TRL with gradient accumulation (GRPOTrainer._compute_loss), with "divide by the
 * number of accumulation steps" taken as "scale by the micro-batch's share of rows", which is
 * the same thing for TRL's equal-sized micro-batches and, for grpo / dr_grpo / paper, gives the
 * gradient of one big batch for unequal ones:
 *   sft            1 / (target tokens of the whole step)          (mean CE over the step)
 *   grpo           mask / (N · max(1, |o_i|))                     N = rows of the whole step
 *   dr_grpo        mask / (N · max_completion_length)
 *   paper          mask / N
 *   bnpo           mask / max(1, masked tokens of the micro-batch) · n_mb / N
 *   dapo, cispo    mask / max(1, masked tokens of the whole step)  (TRL's num_items_in_batch)
 */
import { tokenLoss, type GrpoLossConfig } from '../../gpu/kernels/grpo-cpu';
import type { GrpoObjective, Objective, TokenBatch } from './causal-lm';
import type { LlamaConfig } from './config';

export interface MicroBatch {
  batch: TokenBatch;
  objective: Objective;
}

/** Shape and range checks on a step's micro-batches; errors name the micro-batch, field and position. */
export function validateMicroBatches(config: LlamaConfig, mbs: MicroBatch[]): void {
  if (mbs.length === 0) throw new Error('trainStep: no micro-batches');
  const kind = mbs[0]!.objective.kind;
  const lossType = kind === 'grpo' ? (mbs[0]!.objective as GrpoObjective).loss_type : null;
  mbs.forEach((mb, m) => {
    const where = `micro-batch ${m}`;
    validateBatch(config, mb.batch, where);
    const o = mb.objective;
    if (o.kind !== kind) throw new Error(`${where}: objective "${o.kind}" differs from micro-batch 0's "${kind}"; one step has one objective`);
    if (o.kind !== 'grpo') return;
    if (o.loss_type !== lossType) throw new Error(`${where}: loss_type "${o.loss_type}" differs from micro-batch 0's "${lossType}"`);
    const { B, T } = mb.batch;
    if (o.advantages.length !== B) throw new Error(`${where}: advantages has ${o.advantages.length} values, expected one per row (${B})`);
    if (o.oldLogprobs && o.oldLogprobs.length !== B * T) throw new Error(`${where}: oldLogprobs has ${o.oldLogprobs.length} values, expected B·T = ${B * T}`);
    if (o.beta !== 0 && !o.refLogprobs) throw new Error(`${where}: beta = ${o.beta} needs refLogprobs (the reference policy's log-probs)`);
    if (o.refLogprobs && o.refLogprobs.length !== B * T) throw new Error(`${where}: refLogprobs has ${o.refLogprobs.length} values, expected B·T = ${B * T}`);
    if (!(o.temperature === undefined || o.temperature > 0)) throw new Error(`${where}: temperature must be > 0, got ${o.temperature}`);
    if (o.loss_type === 'dr_grpo' && !(o.max_completion_length >= 1)) throw new Error(`${where}: dr_grpo needs max_completion_length ≥ 1, got ${o.max_completion_length}`);
    for (let i = 0; i < B; i++) if (!Number.isFinite(o.advantages[i]!)) throw new Error(`${where}: advantages[${i}] is ${o.advantages[i]}`);
  });
}

export function validateBatch(config: LlamaConfig, b: TokenBatch, where = 'batch'): void {
  const { B, T } = b;
  if (!Number.isInteger(B) || B < 1 || !Number.isInteger(T) || T < 1) throw new Error(`${where}: B and T must be positive integers, got B=${B}, T=${T}`);
  if (T > config.max_position_embeddings) throw new Error(`${where}: T = ${T} exceeds max_position_embeddings = ${config.max_position_embeddings}`);
  if (b.ids.length !== B * T) throw new Error(`${where}: ids has ${b.ids.length} values, expected B·T = ${B * T}`);
  if (b.targets.length !== B * T) throw new Error(`${where}: targets has ${b.targets.length} values, expected B·T = ${B * T}`);
  checkIds(b.ids, config.vocab_size, `${where}: ids`);
  for (let i = 0; i < b.targets.length; i++) {
    const t = b.targets[i]!;
    if (t >= config.vocab_size || t < -1) throw new Error(`${where}: targets[${i}] (row ${Math.floor(i / T)}, position ${i % T}) = ${t} is outside [-1, ${config.vocab_size})`);
  }
}

export function checkIds(ids: ArrayLike<number>, vocab: number, where: string): void {
  for (let i = 0; i < ids.length; i++) {
    const t = ids[i]!;
    if (!(Number.isInteger(t) && t >= 0 && t < vocab)) throw new Error(`${where}[${i}] = ${t} is outside the vocabulary [0, ${vocab})`);
  }
}

export const lossTokens = (b: TokenBatch) => {
  let c = 0;
  for (let i = 0; i < b.targets.length; i++) if (b.targets[i]! >= 0) c++;
  return c;
};

/** Per-token aggregation weights for each micro-batch ([B·T] each, 0 where target < 0). */
export function stepTokenWeights(mbs: MicroBatch[]): Float32Array[] {
  const totalTokens = mbs.reduce((s, mb) => s + lossTokens(mb.batch), 0);
  const totalRows = mbs.reduce((s, mb) => s + mb.batch.B, 0);
  return mbs.map((mb) => {
    const { B, T, targets } = mb.batch;
    const w = new Float32Array(B * T);
    const o = mb.objective;
    if (o.kind === 'sft') {
      const v = 1 / Math.max(1, totalTokens);
      for (let i = 0; i < B * T; i++) if (targets[i]! >= 0) w[i] = v;
      return w;
    }
    const local = lossTokens(mb.batch);
    for (let r = 0; r < B; r++) {
      let rowCount = 0;
      for (let t = 0; t < T; t++) if (targets[r * T + t]! >= 0) rowCount++;
      const v =
        o.loss_type === 'grpo' ? 1 / (totalRows * Math.max(1, rowCount))
        : o.loss_type === 'dr_grpo' ? 1 / (totalRows * o.max_completion_length)
        : o.loss_type === 'paper' ? 1 / totalRows
        : o.loss_type === 'bnpo' ? B / (Math.max(1, local) * totalRows)
        : 1 / Math.max(1, totalTokens); // dapo, cispo
      for (let t = 0; t < T; t++) if (targets[r * T + t]! >= 0) w[r * T + t] = v;
    }
    return w;
  });
}

export function grpoConfigOf(o: GrpoObjective, n: number, t: number): GrpoLossConfig {
  return { n, t, epsilon_low: o.epsilon_low, epsilon_high: o.epsilon_high, beta: o.beta, loss_type: o.loss_type, max_completion_length: o.max_completion_length };
}

/** Per-token metrics of the step, accumulated over micro-batches (TRL's names and definitions). */
export class StepMetrics {
  tokens = 0;
  entropy = 0;
  kl = 0;
  low = 0;
  high = 0;
  region = 0;
  correct = 0;

  /** one masked token: logp, its entropy, argmax hit, and for GRPO the ratio test (TRL's is_low/high_clipped) */
  add(o: Objective, logp: number, oldLogp: number, refLogp: number | null, adv: number, entropy: number, hit: boolean): void {
    this.tokens++;
    this.entropy += entropy;
    if (hit) this.correct++;
    if (o.kind !== 'grpo') return;
    if (refLogp !== null) {
      const dr = refLogp - logp;
      this.kl += Math.exp(dr) - dr - 1;
    }
    if (o.loss_type === 'paper') return;
    const rho = Math.exp(logp - oldLogp);
    if (o.loss_type === 'cispo') {
      // TRL logs cispo_clip_ratio = (ρ > ε_high) & (A > 0); reported here as the high/region share
      if (rho > o.epsilon_high && adv > 0) {
        this.high++;
        this.region++;
      }
      return;
    }
    const lo = rho < 1 - o.epsilon_low && adv < 0;
    const hi = rho > 1 + o.epsilon_high && adv > 0;
    if (lo) this.low++;
    if (hi) this.high++;
    if (lo || hi) this.region++;
  }

  result(loss: number, grad_norm: number, applied: boolean) {
    const n = Math.max(1, this.tokens);
    return {
      loss,
      grad_norm,
      entropy: this.entropy / n,
      kl: this.kl / n,
      clip_ratio: { low_mean: this.low / n, high_mean: this.high / n, region_mean: this.region / n },
      num_tokens: this.tokens,
      mean_token_accuracy: this.correct / n,
      applied,
    };
  }
}

/** Per-token loss l and ∂l/∂logp for the objective (before the aggregation weight). */
export function perTokenLoss(o: Objective, logp: number, oldLogp: number, refLogp: number, adv: number, c: GrpoLossConfig | null): [number, number] {
  if (o.kind === 'sft') return [-logp, -1];
  return tokenLoss(logp, oldLogp, refLogp, adv, c!);
}

/** HF Trainer does not weight-decay norm weights (or biases): get_decay_parameter_names. */
export const decays = (name: string) => !/norm\.weight$/.test(name);
