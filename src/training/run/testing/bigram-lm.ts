/**
 * TEST DOUBLE, not a model of this project: a tied-embedding bigram LM (logits_t = E[x_t]·Eᵀ) that
 * honours the CausalLM contract with real gradients, AdamW and seeded sampling, and trains only
 * the embedding (the other Llama tensors ride along unchanged). It is fast, so unit tests of the
 * Run's control flow (pause, stop, resume, NaN skips, device loss) do not wait on the real model;
 * every test of learning itself uses H1's CPU model. `faults` injects failures into calls.
 */
import { Rng } from '../../../synthesis/rng';
import type { CausalLM, GenerateOptions, Generation, Objective, OptimizerSettings, StepResult, TokenBatch } from '../../model/causal-lm';
import type { LlamaConfig, Weights } from '../../model/config';
import { grpoConfigOf, perTokenLoss, stepTokenWeights, type MicroBatch } from '../../model/objective';

export interface Faults {
  /** throw this from the n-th trainStep call (1-based), once */
  throwOnStep?: { call: number; error: () => Error };
  /** return applied=false (NaN loss) from these trainStep calls (1-based) */
  nanOnSteps?: number[];
}

const EMB = 'model.embed_tokens.weight';

export class BigramLM implements CausalLM {
  readonly backend = 'cpu' as const;
  private w: Weights = new Map();
  private m: Weights = new Map();
  private v: Weights = new Map();
  private optStep = 0;
  calls = 0;

  constructor(
    readonly config: LlamaConfig,
    private readonly faults: Faults = {},
  ) {}

  private get E(): Float32Array {
    const e = this.w.get(EMB);
    if (!e) throw new Error('BigramLM: weights not set');
    return e;
  }

  /** log-softmax row for input token `id`, at temperature `temp` */
  private logSoftmax(id: number, temp = 1): Float64Array {
    const V = this.config.vocab_size;
    const h = this.config.hidden_size;
    const E = this.E;
    const out = new Float64Array(V);
    let mx = -Infinity;
    for (let v = 0; v < V; v++) {
      let s = 0;
      for (let k = 0; k < h; k++) s += E[id * h + k]! * E[v * h + k]!;
      out[v] = s / temp;
      mx = Math.max(mx, out[v]!);
    }
    let z = 0;
    for (let v = 0; v < V; v++) z += Math.exp(out[v]! - mx);
    const lz = mx + Math.log(z);
    for (let v = 0; v < V; v++) out[v] = out[v]! - lz;
    return out;
  }

  async logits(ids: Int32Array, B: number, T: number): Promise<Float32Array> {
    const V = this.config.vocab_size;
    const out = new Float32Array(B * T * V);
    for (let p = 0; p < B * T; p++) out.set(Float32Array.from(this.logSoftmax(ids[p]!)), p * V);
    return out;
  }

  async logprobs(b: TokenBatch, temperature = 1): Promise<Float32Array> {
    const out = new Float32Array(b.B * b.T);
    for (let p = 0; p < b.B * b.T; p++) if (b.targets[p]! >= 0) out[p] = this.logSoftmax(b.ids[p]!, temperature)[b.targets[p]!]!;
    return out;
  }

  async trainStep(mbs: Array<{ batch: TokenBatch; objective: Objective }>, opt: OptimizerSettings): Promise<StepResult> {
    this.calls++;
    if (this.faults.throwOnStep?.call === this.calls) {
      const e = this.faults.throwOnStep.error();
      this.faults.throwOnStep = undefined;
      throw e;
    }
    const V = this.config.vocab_size;
    const h = this.config.hidden_size;
    const E = this.E;
    const grad = new Float64Array(E.length);
    const weights = stepTokenWeights(mbs as MicroBatch[]);
    let loss = 0;
    let tokens = 0;
    let hits = 0;
    let entropy = 0;
    mbs.forEach((mb, i) => {
      const { B, T, ids, targets } = mb.batch;
      const o = mb.objective;
      const c = o.kind === 'grpo' ? grpoConfigOf(o, B, T) : null;
      const temp = o.kind === 'grpo' ? (o.temperature ?? 1) : 1;
      for (let p = 0; p < B * T; p++) {
        const tgt = targets[p]!;
        if (tgt < 0) continue;
        const lp = this.logSoftmax(ids[p]!, temp);
        const old = o.kind === 'grpo' && o.oldLogprobs ? o.oldLogprobs[p]! : lp[tgt]!;
        const ref = o.kind === 'grpo' && o.refLogprobs ? o.refLogprobs[p]! : lp[tgt]!;
        const adv = o.kind === 'grpo' ? o.advantages[Math.floor(p / T)]! : 0;
        const [l, dl] = perTokenLoss(o, lp[tgt]!, old, ref, adv, c);
        const wgt = weights[i]![p]!;
        loss += wgt * l;
        tokens++;
        let best = 0;
        for (let v = 0; v < V; v++) {
          if (lp[v]! > lp[best]!) best = v;
          entropy -= Math.exp(lp[v]!) * lp[v]!;
        }
        if (best === tgt) hits++;
        // d logp[tgt] / d logit_v = onehot − softmax; logit_v = E[x]·E[v] / temp
        const x = ids[p]!;
        for (let v = 0; v < V; v++) {
          const g = (wgt * dl * ((v === tgt ? 1 : 0) - Math.exp(lp[v]!))) / temp;
          if (g === 0) continue;
          for (let k = 0; k < h; k++) {
            grad[x * h + k] = grad[x * h + k]! + g * E[v * h + k]!;
            grad[v * h + k] = grad[v * h + k]! + g * E[x * h + k]!;
          }
        }
      }
    });
    const nan = this.faults.nanOnSteps?.includes(this.calls) ?? false;
    let norm = 0;
    for (const g of grad) norm += g * g;
    norm = Math.sqrt(norm);
    const result = (applied: boolean): StepResult => ({
      loss: nan ? NaN : loss,
      grad_norm: nan ? NaN : norm,
      entropy: entropy / Math.max(1, tokens),
      kl: 0,
      clip_ratio: { low_mean: 0, high_mean: 0, region_mean: 0 },
      num_tokens: tokens,
      mean_token_accuracy: hits / Math.max(1, tokens),
      applied,
    });
    if (nan || !Number.isFinite(loss)) return result(false);
    const coef = opt.max_grad_norm > 0 ? Math.min(1, opt.max_grad_norm / (norm + 1e-6)) : 1;
    this.optStep++;
    const m = this.m.get(EMB)!;
    const v = this.v.get(EMB)!;
    const bc1 = 1 - opt.beta1 ** this.optStep;
    const bc2 = 1 - opt.beta2 ** this.optStep;
    for (let j = 0; j < E.length; j++) {
      const g = grad[j]! * coef;
      m[j] = opt.beta1 * m[j]! + (1 - opt.beta1) * g;
      v[j] = opt.beta2 * v[j]! + (1 - opt.beta2) * g * g;
      E[j] = E[j]! * (1 - opt.lr * opt.weight_decay) - (opt.lr * (m[j]! / bc1)) / (Math.sqrt(v[j]! / bc2) + opt.eps);
    }
    return result(true);
  }

  async generate(prompts: number[][], o: GenerateOptions): Promise<Generation> {
    const rng = new Rng(o.seed);
    const tokens: number[][] = [];
    const truncated: boolean[] = [];
    for (const p of prompts) {
      const out: number[] = [];
      let last = p[p.length - 1]!;
      let stopped = false;
      while (out.length < o.max_new_tokens) {
        const lp = this.logSoftmax(last, o.temperature > 0 ? o.temperature : 1);
        let next = 0;
        if (o.temperature === 0) for (let v = 1; v < lp.length; v++) next = lp[v]! > lp[next]! ? v : next;
        else {
          let u = rng.next();
          next = lp.length - 1;
          for (let v = 0; v < lp.length; v++) {
            u -= Math.exp(lp[v]!);
            if (u <= 0) {
              next = v;
              break;
            }
          }
        }
        out.push(next);
        last = next;
        if (o.stop_ids.includes(next)) {
          stopped = true;
          break;
        }
      }
      tokens.push(out);
      truncated.push(!stopped);
    }
    return { tokens, truncated };
  }

  async getWeights(): Promise<Weights> {
    return new Map([...this.w].map(([k, v]) => [k, new Float32Array(v)]));
  }
  async setWeights(w: Weights): Promise<void> {
    this.w = new Map([...w].map(([k, v]) => [k, new Float32Array(v)]));
    if (!this.m.size) {
      this.m = new Map([...w].map(([k, v]) => [k, new Float32Array(v.length)]));
      this.v = new Map([...w].map(([k, v]) => [k, new Float32Array(v.length)]));
    }
  }
  async getOptimizerState() {
    const copy = (x: Weights) => new Map([...x].map(([k, v]) => [k, new Float32Array(v)]));
    return { step: this.optStep, m: copy(this.m), v: copy(this.v) };
  }
  async setOptimizerState(s: { step: number; m: Weights; v: Weights }): Promise<void> {
    this.optStep = s.step;
    this.m = new Map([...s.m].map(([k, v]) => [k, new Float32Array(v)]));
    this.v = new Map([...s.v].map(([k, v]) => [k, new Float32Array(v)]));
  }
  memoryBytes(): number {
    return [...this.w.values()].reduce((s, t) => s + t.byteLength * 3, 0);
  }
  dispose(): void {}
}
