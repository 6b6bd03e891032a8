/**
 * The training-step benchmark, run in a browser page: one full optimizer step (forward,
 * backward, clip_grad_norm_, AdamW) of our GPU model against the same Llama written with
 * @tensorflow/tfjs ops on the tfjs WebGPU backend, on the same adapter, from the same weights;
 * plus rollout throughput with and without the KV cache. Each case times ours and tfjs
 * alternately, each run ending in a readback of the loss, and reports medians. Used by
 * `npm run bench:step` (headless Chromium, bench/step.ts) and reusable from a worker (the app's
 * Bench view) through runStepBench.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-webgpu';
import { acquireGpu, type GpuInfo } from '../src/gpu/device';
import { seededRandom } from '../src/gpu/kernels/testing';
import { GpuRuntime } from '../src/gpu/runtime';
import type { ShaderSource } from '../src/gpu/shader-source';
import type { OptimizerSettings, TokenBatch } from '../src/training/model/causal-lm';
import { parameterCount, parameterSpecs, presetConfig, type LlamaConfig, type PresetName, type Weights } from '../src/training/model/config';
import { createGpuModel } from '../src/training/model/gpu-model';

export interface StepCase {
  preset: PresetName | 'custom';
  batch: number;
  seq: number;
  parameters: number;
  oursMs: number;
  tfjsMs: number;
  /** tfjs time / our time: > 1 means ours is faster */
  ratio: number;
  /** our kernel dispatches per step */
  dispatches: number;
  /** |loss_ours − loss_tfjs| / loss_tfjs on the first step from the same weights: both compute the same model */
  lossRelDiff: number;
  /** the same on the second step: both applied the same clipped AdamW update */
  secondLossRelDiff: number;
  reps: number;
}

export interface RolloutCase {
  preset: PresetName | 'custom';
  rows: number;
  promptTokens: string;
  newTokens: number;
  cachedTokensPerS: number;
  uncachedTokensPerS: number;
  /** cached / uncached */
  speedup: number;
  /** our kernel dispatches per decoded token step (all rows) */
  dispatchesPerStep: number;
}

export interface StepBenchResult {
  adapter: GpuInfo;
  tfjsBackend: string;
  vocab: number;
  cases: StepCase[];
  rollout: RolloutCase[];
  cancelled: boolean;
}

/** a preset, or a preset's shape with some fields replaced (preset reported as "custom") */
export interface ModelChoice {
  preset: PresetName;
  override?: Partial<Omit<LlamaConfig, 'vocab_size'>>;
}

export interface StepBenchOptions {
  /** the (preset, batch, seq) cases; default: micro and workshop at 8×128 and 64×32 */
  cases?: Array<ModelChoice & { batch: number; seq: number }>;
  /** rollout cases (empty = none) */
  rollout?: Array<ModelChoice & { rows: number; newTokens: number }>;
  /** also time the tfjs model (default true; false: ours only, tfjsMs and ratio 0) */
  tfjs?: boolean;
  vocab?: number;
  /** time per side per case (ms); at least 2 timed runs each */
  budgetMs?: number;
  onProgress?: (done: number, total: number, line: string) => void;
  signal?: AbortSignal;
}

export const DEFAULT_STEP_CASES: NonNullable<StepBenchOptions['cases']> = [
  { preset: 'micro', batch: 8, seq: 128 },
  { preset: 'micro', batch: 64, seq: 32 },
  { preset: 'workshop', batch: 8, seq: 128 },
  { preset: 'workshop', batch: 64, seq: 32 },
];
export const DEFAULT_ROLLOUT: NonNullable<StepBenchOptions['rollout']> = [
  { preset: 'micro', rows: 16, newTokens: 48 },
  { preset: 'workshop', rows: 16, newTokens: 48 },
];

const OPT: OptimizerSettings = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.1, max_grad_norm: 1 };
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number) => Math.round(x * 1000) / 1000;
export type { LlamaConfig };

function sftBatch(c: LlamaConfig, B: number, T: number, seed: number): TokenBatch {
  const r = seededRandom(seed);
  const ids = Int32Array.from({ length: B * T }, () => Math.floor(r() * c.vocab_size));
  // the last quarter of each row is the "prompt" only: loss on the rest, as SFT on completions
  const targets = Int32Array.from(ids, (_, i) => (i % T >= T / 4 && i % T < T - 1 ? ids[i + 1]! : -1));
  return { B, T, ids, targets };
}

/**
 * The same model in tfjs ops: HF Llama maths (RMSNorm, rotate_half RoPE, GQA by repeating kv
 * heads, causal softmax attention, SwiGLU MLP, tied or untied head), masked mean cross-entropy,
 * tf.variableGrads for the backward, then torch's clip_grad_norm_ and AdamW (decoupled weight
 * decay, norms not decayed) written with tfjs ops.
 */
export class TfjsLlama {
  readonly vars = new Map<string, tf.Variable>();
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private step = 0;
  private readonly cos: tf.Tensor;
  private readonly sin: tf.Tensor;
  private readonly mask: tf.Tensor;

  constructor(
    readonly c: LlamaConfig,
    w: Weights,
    readonly T: number,
  ) {
    for (const s of parameterSpecs(c)) {
      this.vars.set(s.name, tf.variable(tf.tensor(w.get(s.name)!, s.shape), true, s.name));
      this.m.set(s.name, tf.variable(tf.zeros(s.shape), false));
      this.v.set(s.name, tf.variable(tf.zeros(s.shape), false));
    }
    const d = c.head_dim;
    const half = d / 2;
    const cos = new Float32Array(T * d);
    const sin = new Float32Array(T * d);
    for (let p = 0; p < T; p++)
      for (let j = 0; j < d; j++) {
        const ang = p * c.rope_theta ** ((-2 * (j % half)) / d);
        cos[p * d + j] = Math.cos(ang);
        sin[p * d + j] = Math.sin(ang);
      }
    this.cos = tf.tensor(cos, [1, 1, T, d]);
    this.sin = tf.tensor(sin, [1, 1, T, d]);
    const mk = new Float32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) mk[i * T + j] = -1e9;
    this.mask = tf.tensor(mk, [1, 1, T, T]);
  }

  private p(name: string): tf.Tensor {
    return this.vars.get(name)!;
  }

  private rms(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
    const ms = tf.mean(tf.square(x), -1, true);
    return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, this.c.rms_norm_eps))), w);
  }

  private rope(x: tf.Tensor): tf.Tensor {
    const half = this.c.head_dim / 2;
    const [a, b] = tf.split(x, [half, half], -1);
    const rot = tf.concat([tf.neg(b!), a!], -1);
    return tf.add(tf.mul(x, this.cos), tf.mul(rot, this.sin));
  }

  loss(ids: tf.Tensor, targets: tf.Tensor, tmask: tf.Tensor, B: number): tf.Scalar {
    const c = this.c;
    const T = this.T;
    const [h, d, nh, nkv] = [c.hidden_size, c.head_dim, c.num_attention_heads, c.num_key_value_heads];
    let x = tf.gather(this.p('model.embed_tokens.weight'), ids);
    for (let l = 0; l < c.num_hidden_layers; l++) {
      const pre = `model.layers.${l}`;
      const n1 = this.rms(x, this.p(`${pre}.input_layernorm.weight`));
      const heads = (w: string, k: number) => tf.transpose(tf.reshape(tf.matMul(n1, this.p(`${pre}.self_attn.${w}.weight`), false, true), [B, T, k, d]), [0, 2, 1, 3]);
      const q = this.rope(heads('q_proj', nh));
      let k = this.rope(heads('k_proj', nkv));
      let v = heads('v_proj', nkv);
      if (nh !== nkv) {
        // query head i reads kv head i / (nh / nkv) (tfjs has no rank-5 tile gradient; gather has one)
        const idx = tf.tensor1d(Array.from({ length: nh }, (_, i) => Math.floor(i / (nh / nkv))), 'int32');
        k = tf.gather(k, idx, 1);
        v = tf.gather(v, idx, 1);
      }
      const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d)), this.mask);
      const att = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), v), [0, 2, 1, 3]), [B * T, nh * d]);
      x = tf.add(x, tf.matMul(att, this.p(`${pre}.self_attn.o_proj.weight`), false, true));
      const n2 = this.rms(x, this.p(`${pre}.post_attention_layernorm.weight`));
      const g = tf.matMul(n2, this.p(`${pre}.mlp.gate_proj.weight`), false, true);
      const u = tf.matMul(n2, this.p(`${pre}.mlp.up_proj.weight`), false, true);
      x = tf.add(x, tf.matMul(tf.mul(tf.mul(g, tf.sigmoid(g)), u), this.p(`${pre}.mlp.down_proj.weight`), false, true));
    }
    const nf = this.rms(x, this.p('model.norm.weight'));
    const head = this.p(c.tie_word_embeddings ? 'model.embed_tokens.weight' : 'lm_head.weight');
    const logp = tf.logSoftmax(tf.matMul(nf, head, false, true));
    const picked = tf.sum(tf.mul(logp, tf.oneHot(targets, c.vocab_size)), -1);
    return tf.neg(tf.div(tf.sum(tf.mul(picked, tmask)), tf.maximum(tf.sum(tmask), 1))) as tf.Scalar;
  }

  /** one optimizer step; resolves with the loss (read back) */
  async trainStep(b: TokenBatch, o: OptimizerSettings): Promise<number> {
    const ids = tf.tensor1d(b.ids, 'int32');
    const targets = tf.tensor1d(Int32Array.from(b.targets, (t) => Math.max(0, t)), 'int32');
    const tmask = tf.tensor1d(Float32Array.from(b.targets, (t) => (t >= 0 ? 1 : 0)));
    this.step++;
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.loss(ids, targets, tmask, b.B));
      const names = Object.keys(grads);
      // pairwise adds: tfjs's addN of ~20 tensors binds more storage buffers than the default limit of 8
      const norm = tf.sqrt(names.reduce<tf.Tensor>((acc, n) => tf.add(acc, tf.sum(tf.square(grads[n]!))), tf.scalar(0)));
      const coef = tf.minimum(tf.div(o.max_grad_norm, tf.add(norm, 1e-6)), 1);
      const bc1 = 1 - o.beta1 ** this.step;
      const bc2 = Math.sqrt(1 - o.beta2 ** this.step);
      for (const n of names) {
        const g = tf.mul(grads[n]!, coef);
        const p = this.vars.get(n)!;
        const m = this.m.get(n)!;
        const v = this.v.get(n)!;
        const m2 = tf.add(tf.mul(m, o.beta1), tf.mul(g, 1 - o.beta1));
        const v2 = tf.add(tf.mul(v, o.beta2), tf.mul(tf.square(g), 1 - o.beta2));
        m.assign(m2);
        v.assign(v2);
        const wd = /norm\.weight$/.test(n) ? 0 : o.weight_decay;
        const decayed = tf.mul(p, 1 - o.lr * wd);
        p.assign(tf.sub(decayed, tf.mul(tf.div(m2, tf.add(tf.div(tf.sqrt(v2), bc2), o.eps)), o.lr / bc1)));
      }
      return value;
    });
    const out = (await loss.data())[0]!;
    tf.dispose([loss, ids, targets, tmask]);
    return out;
  }

  dispose(): void {
    tf.dispose([...this.vars.values(), ...this.m.values(), ...this.v.values(), this.cos, this.sin, this.mask]);
  }
}

export async function runStepBench(shaders: ShaderSource, opts: StepBenchOptions = {}): Promise<StepBenchResult> {
  const ctx = await acquireGpu(navigator.gpu);
  const rt = new GpuRuntime(ctx.device, shaders);
  await tf.setBackend('webgpu');
  await tf.ready();
  const vocab = opts.vocab ?? 1024;
  const budget = opts.budgetMs ?? 6000;
  const stepCases = opts.cases ?? DEFAULT_STEP_CASES;
  const rolloutCases = opts.rollout ?? DEFAULT_ROLLOUT;
  const total = stepCases.length + rolloutCases.length;
  const cases: StepCase[] = [];
  const rollout: RolloutCase[] = [];
  let cancelled = false;
  const aborted = () => (cancelled ||= !!opts.signal?.aborted);
  try {
    for (const sc of stepCases) {
      if (aborted()) break;
      const c = { ...presetConfig(sc.preset, vocab), ...sc.override };
      const ours = createGpuModel(rt, c, { seed: 1 });
      const withTfjs = opts.tfjs ?? true;
      const theirs = withTfjs ? new TfjsLlama(c, await ours.getWeights(), sc.seq) : null;
      const batch = sftBatch(c, sc.batch, sc.seq, 7);
      const mbs = [{ batch, objective: { kind: 'sft' as const } }];
      try {
        // first step from identical weights: the losses must agree (and pipelines compile)
        const lo = (await ours.trainStep(mbs, OPT)).loss;
        const lt = theirs ? await theirs.trainStep(batch, OPT) : lo;
        const lo2 = (await ours.trainStep(mbs, OPT)).loss;
        const lt2 = theirs ? await theirs.trainStep(batch, OPT) : lo2;
        const ot: number[] = [];
        const tt: number[] = [];
        const t0 = performance.now();
        while (ot.length < 2 || (ot.length < 10 && performance.now() - t0 < 2 * budget)) {
          if (aborted()) break;
          let t = performance.now();
          await ours.trainStep(mbs, OPT);
          ot.push(performance.now() - t);
          if (aborted() || !theirs) continue;
          t = performance.now();
          await theirs.trainStep(batch, OPT);
          tt.push(performance.now() - t);
        }
        if (cancelled) break;
        const oursMs = median(ot);
        const tfjsMs = tt.length ? median(tt) : 0;
        cases.push({
          preset: sc.override ? 'custom' : sc.preset, batch: sc.batch, seq: sc.seq, parameters: parameterCount(c),
          oursMs: round(oursMs), tfjsMs: round(tfjsMs), ratio: round(tfjsMs / oursMs),
          dispatches: ours.lastStepDispatches, lossRelDiff: Number((Math.abs(lo - lt) / lt).toExponential(2)), secondLossRelDiff: Number((Math.abs(lo2 - lt2) / lt2).toExponential(2)), reps: ot.length,
        });
        const last = cases.at(-1)!;
        opts.onProgress?.(cases.length, total, `${sc.preset} ${sc.batch}×${sc.seq}: ours ${last.oursMs} ms, tfjs ${last.tfjsMs} ms, ratio ${last.ratio}, ${last.dispatches} dispatches`);
      } finally {
        ours.dispose();
        theirs?.dispose();
        await rt.flush();
      }
    }
    for (const rc of rolloutCases) {
      if (aborted()) break;
      const c = { ...presetConfig(rc.preset, vocab), ...rc.override };
      const model = createGpuModel(rt, c, { seed: 1 });
      try {
        const r = seededRandom(3);
        const prompts = Array.from({ length: rc.rows }, (_, b) => Array.from({ length: 8 + ((b * 5) % 17) }, () => Math.floor(r() * vocab)));
        const go = { max_new_tokens: rc.newTokens, temperature: 1, top_p: 1, stop_ids: [], seed: 5 };
        await model.generate(prompts, { ...go, max_new_tokens: 2 }); // compile
        await model.generateUncached(prompts, { ...go, max_new_tokens: 2 });
        let t = performance.now();
        const a = await model.generate(prompts, go);
        const cachedMs = performance.now() - t;
        if (aborted()) break;
        t = performance.now();
        const b = await model.generateUncached(prompts, go);
        const uncachedMs = performance.now() - t;
        const count = (g: { tokens: number[][] }) => g.tokens.reduce((s, x) => s + x.length, 0);
        const cached = (count(a) / cachedMs) * 1000;
        const uncached = (count(b) / uncachedMs) * 1000;
        rollout.push({
          preset: rc.override ? 'custom' : rc.preset, rows: rc.rows, promptTokens: `${Math.min(...prompts.map((p) => p.length))}–${Math.max(...prompts.map((p) => p.length))}`, newTokens: rc.newTokens,
          cachedTokensPerS: round(cached), uncachedTokensPerS: round(uncached), speedup: round(cached / uncached), dispatchesPerStep: model.lastDecodeDispatchesPerStep,
        });
        opts.onProgress?.(cases.length + rollout.length, total, `rollout ${rc.preset} ${rc.rows} rows × ${rc.newTokens}: ${round(cached)} tokens/s cached, ${round(uncached)} uncached`);
      } finally {
        model.dispose();
        await rt.flush();
      }
    }
  } finally {
    rt.trim();
    ctx.device.destroy();
  }
  return { adapter: ctx.info, tfjsBackend: tf.getBackend(), vocab, cases, rollout, cancelled };
}
