/**
 * Shared by the GPU model's parity tests (browser: gpu-model.browser.test.ts, Node/Dawn:
 * gpu-model.node.test.ts): batches, objectives and the comparisons of a GPU model against the
 * CPU reference built from the same weights. Test support only.
 */
import { randomArray, relError, seededRandom } from '../../gpu/kernels/testing';
import type { CausalLM, GrpoObjective, OptimizerSettings, StepResult, TokenBatch } from './causal-lm';
import { parameterSpecs, presetConfig, type LlamaConfig, type Weights } from './config';
import { initWeights } from './init';
import type { MicroBatch } from './objective';

/** the micro preset with a 300-token vocabulary (tied head, GQA 4/2, head_dim 16) */
export const MICRO = presetConfig('micro', 300);
/** GQA 6/2, untied head, head_dim 32, awkward sizes */
export const GQA_UNTIED: LlamaConfig = { vocab_size: 211, hidden_size: 96, intermediate_size: 200, num_hidden_layers: 2, num_attention_heads: 6, num_key_value_heads: 2, head_dim: 32, max_position_embeddings: 128, rms_norm_eps: 1e-6, rope_theta: 500000, tie_word_embeddings: false };

/** initial weights with more spread than init (0.02 makes every path nearly linear and attention uniform) */
export function spreadWeights(c: LlamaConfig, seed: number, scale = 0.08): Weights {
  const w = initWeights(c, seed);
  let s = seed * 101;
  for (const spec of parameterSpecs(c)) {
    const t = w.get(spec.name)!;
    t.set(spec.init === 'ones' ? randomArray(t.length, ++s, 0.2, 1) : randomArray(t.length, ++s, scale * Math.sqrt(3)));
  }
  return w;
}

/** right-padded rows of different lengths; targets = next token on a "completion" part only */
export function tokenBatch(c: LlamaConfig, B: number, T: number, seed: number, prompt = 3): TokenBatch {
  const r = seededRandom(seed);
  const ids = Int32Array.from({ length: B * T }, () => Math.floor(r() * c.vocab_size));
  const targets = new Int32Array(B * T).fill(-1);
  for (let b = 0; b < B; b++) {
    const len = T - (b % 4);
    for (let t = prompt - 1; t < len - 1; t++) targets[b * T + t] = ids[b * T + t + 1]!;
  }
  return { B, T, ids, targets };
}

/** a GRPO objective with old log-probs near the policy's (num_iterations > 1) and a reference */
export function grpoObjective(b: TokenBatch, lp: Float32Array, seed: number, o: Partial<GrpoObjective> = {}): GrpoObjective {
  const r = seededRandom(seed);
  const near = () => Float32Array.from(lp, (x, i) => (b.targets[i]! >= 0 ? x + (r() - 0.5) * 0.6 : 0));
  return {
    kind: 'grpo',
    advantages: Float32Array.from({ length: b.B }, () => r() * 2 - 1),
    oldLogprobs: near(),
    refLogprobs: near(),
    loss_type: 'dapo',
    epsilon_low: 0.2,
    epsilon_high: 0.28,
    beta: 0.04,
    max_completion_length: b.T,
    temperature: 1,
    ...o,
  };
}

/**
 * AdamW for parity tests. eps = 1e-5 rather than 1e-8: Adam divides each gradient by its own
 * magnitude, so an element whose gradient is at the float32 noise floor (~1e-6 of the tensor's
 * largest) would get an update of arbitrary sign on either model; with eps = 1e-5 such elements
 * move by ≤ ~1% of lr and every real gradient still dominates its update.
 */
export const OPT: OptimizerSettings = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-5, weight_decay: 0.1, max_grad_norm: 1 };

export interface StepComparison {
  loss: number;
  gradNorm: number;
  entropy: number;
  kl: number;
  clip: number;
  /** max relative difference of the updated weights over every tensor */
  weights: number;
  /** max |Δw_gpu − Δw_cpu| over every weight, in units of lr */
  updateVsLr: number;
  cpu: StepResult;
  gpu: StepResult;
}

/** The same steps on both models; relative differences of the metrics and of the updated weights. */
export async function compareSteps(cpu: CausalLM, gpu: CausalLM, steps: MicroBatch[][], opt: OptimizerSettings): Promise<StepComparison> {
  const w0 = await cpu.getWeights();
  let rc!: StepResult;
  let rg!: StepResult;
  for (const mbs of steps) {
    rc = await cpu.trainStep(mbs, opt);
    rg = await gpu.trainStep(mbs, opt);
  }
  const wc = await cpu.getWeights();
  const wg = await gpu.getWeights();
  let weights = 0;
  let update = 0;
  for (const [name, t] of wc) {
    const g = wg.get(name)!;
    weights = Math.max(weights, relError(g, t));
    const o = w0.get(name)!;
    for (let i = 0; i < t.length; i++) update = Math.max(update, Math.abs(g[i]! - o[i]! - (t[i]! - o[i]!)));
  }
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-6, Math.abs(b));
  return {
    loss: rel(rg.loss, rc.loss),
    gradNorm: rel(rg.grad_norm, rc.grad_norm),
    entropy: rel(rg.entropy, rc.entropy),
    kl: Math.abs(rg.kl - rc.kl),
    clip: Math.abs(rg.clip_ratio.region_mean - rc.clip_ratio.region_mean),
    weights,
    updateVsLr: update / opt.lr,
    cpu: rc,
    gpu: rg,
  };
}
