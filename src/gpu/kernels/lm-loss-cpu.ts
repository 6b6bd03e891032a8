/**
 * CPU reference for shaders/lm_loss.wgsl, per token row of logits: log-softmax at temperature
 * τ, entropy, argmax hit, the objective's per-token loss (sft, or grpo-cpu.ts's tokenLoss for
 * the GRPO loss types), dlogits and the 8 stats the kernel writes. float64.
 */
import { tokenLoss, type GrpoLossConfig, type LossType } from './grpo-cpu';

export type LmLossMode = 'sft' | LossType;

export interface LmLossConfig {
  n: number;
  v: number;
  /** tokens per sequence: row r's advantage is adv[floor(r / t)] */
  t: number;
  mode: LmLossMode;
  epsilon_low: number;
  epsilon_high: number;
  beta: number;
  temperature: number;
}

export interface LmLossInputs {
  logits: ArrayLike<number>;
  targets: ArrayLike<number>;
  /** per-token aggregation weight */
  weights: ArrayLike<number>;
  adv: ArrayLike<number>;
  old: ArrayLike<number> | null;
  ref: ArrayLike<number> | null;
}

/** stats [n, 8] = (w·l, entropy, hit, clipped low, clipped high, either, k3, logp) and dlogits [n, v] */
export function lmLossCpu(x: LmLossInputs, c: LmLossConfig): { stats: Float64Array; dlogits: Float32Array } {
  const { n, v } = c;
  const stats = new Float64Array(n * 8);
  const dlogits = new Float32Array(n * v);
  const gc: GrpoLossConfig = { n: 1, t: 1, epsilon_low: c.epsilon_low, epsilon_high: c.epsilon_high, beta: c.beta, loss_type: c.mode === 'sft' ? 'grpo' : c.mode, max_completion_length: 1 };
  for (let r = 0; r < n; r++) {
    const tg = x.targets[r]!;
    if (tg < 0) continue;
    const o = r * v;
    let mx = -Infinity;
    let arg = 0;
    for (let j = 0; j < v; j++) if (x.logits[o + j]! > mx) [mx, arg] = [x.logits[o + j]!, j];
    const p = new Float64Array(v);
    let sum = 0;
    for (let j = 0; j < v; j++) sum += p[j] = Math.exp((x.logits[o + j]! - mx) / c.temperature);
    const lse = Math.log(sum);
    let ent = 0;
    for (let j = 0; j < v; j++) {
      p[j]! /= sum;
      if (p[j]! > 0) ent -= p[j]! * ((x.logits[o + j]! - mx) / c.temperature - lse);
    }
    const logp = (x.logits[o + tg]! - mx) / c.temperature - lse;
    const a = x.adv[Math.floor(r / c.t)]!;
    const old = x.old ? x.old[r]! : logp;
    const ref = x.ref ? x.ref[r]! : null;
    let l: number;
    let g: number;
    let lo = 0;
    let hi = 0;
    let kl = 0;
    if (c.mode === 'sft') [l, g] = [-logp, -1];
    else {
      [l, g] = tokenLoss(logp, old, ref ?? logp, a, { ...gc, beta: ref === null ? 0 : c.beta });
      const rho = Math.exp(logp - old);
      if (c.mode === 'cispo') hi = rho > c.epsilon_high && a > 0 ? 1 : 0;
      else if (c.mode !== 'paper') {
        lo = rho < 1 - c.epsilon_low && a < 0 ? 1 : 0;
        hi = rho > 1 + c.epsilon_high && a > 0 ? 1 : 0;
      }
      if (ref !== null) kl = Math.exp(ref - logp) - (ref - logp) - 1;
    }
    const w = x.weights[r]!;
    stats.set([w * l, ent, arg === tg ? 1 : 0, lo, hi, Math.max(lo, hi), kl, logp], r * 8);
    for (let j = 0; j < v; j++) dlogits[o + j] = ((w * g) / c.temperature) * ((j === tg ? 1 : 0) - p[j]!);
  }
  return { stats, dlogits };
}
