/**
 * The CPU reference model: a Hugging Face LlamaForCausalLM in plain TypeScript, float64
 * activations and gradient sums over float32 weights, with a hand-written backward pass. It is
 * the ground truth the GPU model is tested against, and usable on its own (slow) where no GPU is.
 *
 * Semantics (transformers' modeling_llama.py): x = embed[ids]; per layer
 *   x += o_proj(attn(rope(q_proj(n1)), rope(k_proj(n1)), v_proj(n1))), n1 = rmsnorm(x)·w1
 *   x += down_proj(silu(gate_proj(n2))·up_proj(n2)),                     n2 = rmsnorm(x)·w2
 * logits = head(rmsnorm(x)·w), head = embed (tied) or lm_head. RMSNorm x·rsqrt(mean(x²)+eps)·w;
 * RoPE rotate_half with theta^(−2j/d) at positions 0..T−1 of each row (generation: absolute
 * positions); causal attention scaled 1/√head_dim; query head h reads kv head h / (heads/kv_heads).
 *
 * Every per-row computation (projections, attention of one query against its keys, norms) is one
 * function used by training, logits and cached generation alike, so decoding with the KV cache
 * gives bit-identical logits to re-running the whole sequence.
 */
import { adamwCpu } from '../../gpu/kernels/adamw-cpu';
import { sampleCpu } from '../../gpu/kernels/sample-cpu';
import { Rng } from '../../synthesis/rng';
import type { CausalLM, Generation, GenerateOptions, LoraSettings, OptimizerSettings, StepResult, TokenBatch } from './causal-lm';
import { parameterSpecs, type LlamaConfig, type Weights } from './config';
import { checkWeights, initWeights } from './init';
import { initLora, loraScale, loraTargets, mergeLora, type LoraTarget } from './lora';
import { checkIds, decays, grpoConfigOf, perTokenLoss, StepMetrics, stepTokenWeights, validateBatch, validateMicroBatches, type MicroBatch } from './objective';

type F64 = Float64Array;

// ---- row kernels (shared by every path) --------------------------------------------

/** y[r, o] = Σ_i x[r, i]·W[o, i] for rows r of x ([rows, in]), W [out, in]. */
function linear(x: F64, rows: number, w: Float32Array, out: number, inn: number): F64 {
  const y = new Float64Array(rows * out);
  for (let r = 0; r < rows; r++) {
    const xo = r * inn;
    for (let o = 0; o < out; o++) {
      const wo = o * inn;
      let s = 0;
      for (let i = 0; i < inn; i++) s += x[xo + i]! * w[wo + i]!;
      y[r * out + o] = s;
    }
  }
  return y;
}

/** dx += dy·W and dW += dyᵀ·x (dW null: frozen). */
function linearBackward(x: F64, dy: F64, rows: number, w: Float32Array, out: number, inn: number, dx: F64, dw: F64 | null): void {
  for (let r = 0; r < rows; r++) {
    const xo = r * inn;
    for (let o = 0; o < out; o++) {
      const g = dy[r * out + o]!;
      if (g === 0) continue;
      const wo = o * inn;
      for (let i = 0; i < inn; i++) dx[xo + i]! += g * w[wo + i]!;
      if (dw) for (let i = 0; i < inn; i++) dw[wo + i]! += g * x[xo + i]!;
    }
  }
}

function rmsnorm(x: F64, rows: number, d: number, w: Float32Array, eps: number): { y: F64; rstd: F64 } {
  const y = new Float64Array(rows * d);
  const rstd = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let ss = 0;
    for (let j = 0; j < d; j++) ss += x[r * d + j]! ** 2;
    const rs = 1 / Math.sqrt(ss / d + eps);
    rstd[r] = rs;
    for (let j = 0; j < d; j++) y[r * d + j] = x[r * d + j]! * rs * w[j]!;
  }
  return { y, rstd };
}

/** dx += rmsnorm backward; dw += Σ_rows dy·x·rstd */
function rmsnormBackward(x: F64, rstd: F64, dy: F64, rows: number, d: number, w: Float32Array, dx: F64, dw: F64 | null): void {
  for (let r = 0; r < rows; r++) {
    const rs = rstd[r]!;
    let dot = 0;
    for (let j = 0; j < d; j++) dot += dy[r * d + j]! * w[j]! * x[r * d + j]!;
    const c = (dot * rs * rs * rs) / d;
    for (let j = 0; j < d; j++) {
      dx[r * d + j]! += rs * w[j]! * dy[r * d + j]! - c * x[r * d + j]!;
      if (dw) dw[j]! += dy[r * d + j]! * x[r * d + j]! * rs;
    }
  }
}

/** cos/sin of p·theta^(−2j/d), float64, [positions, d/2] (the same formula as gpu/kernels/rope.ts). */
export class RopeTable {
  cos: F64 = new Float64Array(0);
  sin: F64 = new Float64Array(0);
  positions = 0;
  constructor(
    readonly d: number,
    readonly theta: number,
  ) {}
  ensure(positions: number): void {
    if (positions <= this.positions) return;
    const half = this.d / 2;
    this.cos = new Float64Array(positions * half);
    this.sin = new Float64Array(positions * half);
    for (let p = 0; p < positions; p++)
      for (let j = 0; j < half; j++) {
        const ang = p * this.theta ** ((-2 * j) / this.d);
        this.cos[p * half + j] = Math.cos(ang);
        this.sin[p * half + j] = Math.sin(ang);
      }
    this.positions = positions;
  }
}

/** Rotate heads [heads × d] of row `row` of x (stride = heads·d) for position pos; sign −1 = inverse (backward). */
function ropeRow(x: F64, row: number, heads: number, d: number, pos: number, rope: RopeTable, sign: number): void {
  const half = d / 2;
  for (let h = 0; h < heads; h++) {
    const o = row * heads * d + h * d;
    for (let j = 0; j < half; j++) {
      const c = rope.cos[pos * half + j]!;
      const s = rope.sin[pos * half + j]! * sign;
      const a = x[o + j]!;
      const b = x[o + j + half]!;
      x[o + j] = a * c - b * s;
      x[o + j + half] = b * c + a * s;
    }
  }
}

/**
 * One query row against keys 0..count−1 (rows k0 + j of k and v, stride kvDim, head kvh):
 * out[0..d) = Σ_j softmax_j(q·k_j·scale) v_j. probs (length ≥ count) receives the softmax.
 */
function attendRow(q: F64, qo: number, k: F64, v: F64, k0: number, count: number, kvDim: number, kvo: number, d: number, scale: number, out: F64, oo: number, probs: F64): void {
  let mx = -Infinity;
  for (let j = 0; j < count; j++) {
    const ko = (k0 + j) * kvDim + kvo;
    let s = 0;
    for (let e = 0; e < d; e++) s += q[qo + e]! * k[ko + e]!;
    s *= scale;
    probs[j] = s;
    if (s > mx) mx = s;
  }
  let sum = 0;
  for (let j = 0; j < count; j++) sum += probs[j] = Math.exp(probs[j]! - mx);
  for (let j = 0; j < count; j++) probs[j]! /= sum;
  for (let e = 0; e < d; e++) out[oo + e] = 0;
  for (let j = 0; j < count; j++) {
    const p = probs[j]!;
    const vo = (k0 + j) * kvDim + kvo;
    for (let e = 0; e < d; e++) out[oo + e]! += p * v[vo + e]!;
  }
}

const silu = (x: number) => x / (1 + Math.exp(-x));

// ---- the model -----------------------------------------------------------------------

interface LayerNames {
  ln1: string;
  q: string;
  k: string;
  v: string;
  o: string;
  ln2: string;
  gate: string;
  up: string;
  down: string;
}

interface LayerCache {
  x: F64;
  rstd1: F64;
  n1: F64;
  q: F64;
  k: F64;
  v: F64;
  /** [B, heads, T, T] softmax rows (causal: entries j ≤ i) */
  probs: F64;
  att: F64;
  x2: F64;
  rstd2: F64;
  n2: F64;
  g: F64;
  u: F64;
  hmid: F64;
}

interface ForwardCache {
  B: number;
  T: number;
  layers: LayerCache[];
  xf: F64;
  rstdF: F64;
  nf: F64;
  logits: F64;
}

export interface CpuModelOptions {
  seed?: number;
  weights?: Weights;
}

export interface GradientResult {
  /** Σ w·l over the step (the trainStep loss) */
  loss: number;
  /** ∂loss/∂θ for every trainable tensor (the adapters when LoRA is on), float64 */
  grads: Map<string, F64>;
  metrics: ReturnType<StepMetrics['result']>;
}

export class CpuModel implements CausalLM {
  readonly backend = 'cpu' as const;
  private w: Weights;
  private readonly layers: LayerNames[];
  private readonly rope: RopeTable;
  private step = 0;
  private m: Weights = new Map();
  private v: Weights = new Map();
  private lora: { settings: LoraSettings; targets: LoraTarget[]; weights: Weights; scale: number } | null = null;
  /** effective weights for this step (base merged with LoRA), rebuilt when either changes */
  private eff: Weights | null = null;

  constructor(
    readonly config: LlamaConfig,
    opts: CpuModelOptions = {},
  ) {
    const w = opts.weights ?? initWeights(config, opts.seed ?? 0);
    checkWeights(config, w);
    this.w = new Map([...parameterSpecs(config)].map((s) => [s.name, Float32Array.from(w.get(s.name)!)]));
    this.layers = Array.from({ length: config.num_hidden_layers }, (_, i) => {
      const p = `model.layers.${i}`;
      return {
        ln1: `${p}.input_layernorm.weight`,
        q: `${p}.self_attn.q_proj.weight`,
        k: `${p}.self_attn.k_proj.weight`,
        v: `${p}.self_attn.v_proj.weight`,
        o: `${p}.self_attn.o_proj.weight`,
        ln2: `${p}.post_attention_layernorm.weight`,
        gate: `${p}.mlp.gate_proj.weight`,
        up: `${p}.mlp.up_proj.weight`,
        down: `${p}.mlp.down_proj.weight`,
      };
    });
    this.rope = new RopeTable(config.head_dim, config.rope_theta);
  }

  private get headName(): string {
    return this.config.tie_word_embeddings ? 'model.embed_tokens.weight' : 'lm_head.weight';
  }

  private weights(): Weights {
    if (this.eff) return this.eff;
    if (!this.lora) return (this.eff = this.w);
    const eff = new Map(this.w);
    const { targets, weights, scale, settings } = this.lora;
    for (const t of targets) eff.set(t.base, mergeLora(this.w.get(t.base)!, weights.get(t.a)!, weights.get(t.b)!, t, settings.r, scale));
    return (this.eff = eff);
  }

  /** names of the trainable tensors (all weights, or the adapters under LoRA) */
  trainableNames(): string[] {
    return this.lora ? [...this.lora.weights.keys()] : [...this.w.keys()];
  }

  // ---- forward ---------------------------------------------------------------------

  /** the shapes every pass derives from the config */
  private dims() {
    const c = this.config;
    const hd = c.head_dim;
    const nh = c.num_attention_heads;
    const nkv = c.num_key_value_heads;
    return { h: c.hidden_size, f: c.intermediate_size, hd, nh, nkv, qDim: nh * hd, kvDim: nkv * hd, group: nh / nkv, scale: 1 / Math.sqrt(hd) };
  }

  private forward(ids: Int32Array, B: number, T: number, keep: boolean): ForwardCache {
    const c = this.config;
    const W = this.weights();
    const { h, f, hd, nh, nkv, qDim, kvDim, group, scale } = this.dims();
    const N = B * T;
    this.rope.ensure(T);
    const emb = W.get('model.embed_tokens.weight')!;
    let x: F64 = new Float64Array(N * h);
    for (let r = 0; r < N; r++) for (let j = 0; j < h; j++) x[r * h + j] = emb[ids[r]! * h + j]!;
    const layers: LayerCache[] = [];
    for (const L of this.layers) {
      const { y: n1, rstd: rstd1 } = rmsnorm(x, N, h, W.get(L.ln1)!, c.rms_norm_eps);
      const q = linear(n1, N, W.get(L.q)!, qDim, h);
      const k = linear(n1, N, W.get(L.k)!, kvDim, h);
      const v = linear(n1, N, W.get(L.v)!, kvDim, h);
      for (let r = 0; r < N; r++) {
        ropeRow(q, r, nh, hd, r % T, this.rope, 1);
        ropeRow(k, r, nkv, hd, r % T, this.rope, 1);
      }
      const att = new Float64Array(N * qDim);
      const probs = new Float64Array(keep ? B * nh * T * T : T);
      for (let b = 0; b < B; b++)
        for (let hq = 0; hq < nh; hq++)
          for (let i = 0; i < T; i++) {
            const pr = keep ? probs.subarray(((b * nh + hq) * T + i) * T, ((b * nh + hq) * T + i + 1) * T) : probs;
            attendRow(q, (b * T + i) * qDim + hq * hd, k, v, b * T, i + 1, kvDim, Math.floor(hq / group) * hd, hd, scale, att, (b * T + i) * qDim + hq * hd, pr);
          }
      const ao = linear(att, N, W.get(L.o)!, h, qDim);
      const x2 = new Float64Array(N * h);
      for (let i = 0; i < N * h; i++) x2[i] = x[i]! + ao[i]!;
      const { y: n2, rstd: rstd2 } = rmsnorm(x2, N, h, W.get(L.ln2)!, c.rms_norm_eps);
      const g = linear(n2, N, W.get(L.gate)!, f, h);
      const u = linear(n2, N, W.get(L.up)!, f, h);
      const hmid = new Float64Array(N * f);
      for (let i = 0; i < N * f; i++) hmid[i] = silu(g[i]!) * u[i]!;
      const mo = linear(hmid, N, W.get(L.down)!, h, f);
      const x3 = new Float64Array(N * h);
      for (let i = 0; i < N * h; i++) x3[i] = x2[i]! + mo[i]!;
      if (keep) layers.push({ x, rstd1, n1, q, k, v, probs, att, x2, rstd2, n2, g, u, hmid });
      x = x3;
    }
    const { y: nf, rstd: rstdF } = rmsnorm(x, N, h, W.get('model.norm.weight')!, c.rms_norm_eps);
    const logits = linear(nf, N, W.get(this.headName)!, c.vocab_size, h);
    return { B, T, layers, xf: x, rstdF, nf, logits };
  }

  // ---- backward --------------------------------------------------------------------

  /** Accumulate ∂/∂θ of Σ dlogits·logits into grads (by effective-weight name; frozen weights absent). */
  private backward(fc: ForwardCache, ids: Int32Array, dlogits: F64, grads: Map<string, F64>): void {
    const c = this.config;
    const W = this.weights();
    const { B, T } = fc;
    const N = B * T;
    const { h, f, hd, nh, nkv, qDim, kvDim, group, scale } = this.dims();
    const g = (name: string) => grads.get(name) ?? null;

    const dnf = new Float64Array(N * h);
    linearBackward(fc.nf, dlogits, N, W.get(this.headName)!, c.vocab_size, h, dnf, g(this.headName));
    let dx: F64 = new Float64Array(N * h);
    rmsnormBackward(fc.xf, fc.rstdF, dnf, N, h, W.get('model.norm.weight')!, dx, g('model.norm.weight'));

    for (let li = this.layers.length - 1; li >= 0; li--) {
      const L = this.layers[li]!;
      const a = fc.layers[li]!;
      // MLP: x3 = x2 + down(silu(g)·u)
      const dh = new Float64Array(N * f);
      linearBackward(a.hmid, dx, N, W.get(L.down)!, h, f, dh, g(L.down));
      const dg = new Float64Array(N * f);
      const du = new Float64Array(N * f);
      for (let i = 0; i < N * f; i++) {
        const s = 1 / (1 + Math.exp(-a.g[i]!));
        dg[i] = dh[i]! * a.u[i]! * s * (1 + a.g[i]! * (1 - s));
        du[i] = dh[i]! * a.g[i]! * s;
      }
      const dn2 = new Float64Array(N * h);
      linearBackward(a.n2, dg, N, W.get(L.gate)!, f, h, dn2, g(L.gate));
      linearBackward(a.n2, du, N, W.get(L.up)!, f, h, dn2, g(L.up));
      const dx2 = dx; // residual: the gradient flows through unchanged, plus the norm's
      rmsnormBackward(a.x2, a.rstd2, dn2, N, h, W.get(L.ln2)!, dx2, g(L.ln2));
      // attention: x2 = x + o_proj(att)
      const datt = new Float64Array(N * qDim);
      linearBackward(a.att, dx2, N, W.get(L.o)!, h, qDim, datt, g(L.o));
      const dq = new Float64Array(N * qDim);
      const dk = new Float64Array(N * kvDim);
      const dv = new Float64Array(N * kvDim);
      const dp = new Float64Array(T);
      for (let b = 0; b < B; b++)
        for (let hq = 0; hq < nh; hq++) {
          const kvo = Math.floor(hq / group) * hd;
          for (let i = 0; i < T; i++) {
            const P = a.probs.subarray(((b * nh + hq) * T + i) * T);
            const qo = (b * T + i) * qDim + hq * hd;
            let rowDot = 0;
            for (let j = 0; j <= i; j++) {
              const vo = (b * T + j) * kvDim + kvo;
              let s = 0;
              for (let e = 0; e < hd; e++) s += datt[qo + e]! * a.v[vo + e]!;
              dp[j] = s;
              rowDot += P[j]! * s;
            }
            for (let j = 0; j <= i; j++) {
              const ko = (b * T + j) * kvDim + kvo;
              const pij = P[j]!;
              const ds = pij * (dp[j]! - rowDot) * scale;
              for (let e = 0; e < hd; e++) {
                dq[qo + e]! += ds * a.k[ko + e]!;
                dk[ko + e]! += ds * a.q[qo + e]!;
                dv[ko + e]! += pij * datt[qo + e]!;
              }
            }
          }
        }
      for (let r = 0; r < N; r++) {
        ropeRow(dq, r, nh, hd, r % T, this.rope, -1);
        ropeRow(dk, r, nkv, hd, r % T, this.rope, -1);
      }
      const dn1 = new Float64Array(N * h);
      linearBackward(a.n1, dq, N, W.get(L.q)!, qDim, h, dn1, g(L.q));
      linearBackward(a.n1, dk, N, W.get(L.k)!, kvDim, h, dn1, g(L.k));
      linearBackward(a.n1, dv, N, W.get(L.v)!, kvDim, h, dn1, g(L.v));
      rmsnormBackward(a.x, a.rstd1, dn1, N, h, W.get(L.ln1)!, dx2, g(L.ln1));
      dx = dx2;
    }
    const de = g('model.embed_tokens.weight');
    if (de) for (let r = 0; r < N; r++) for (let j = 0; j < h; j++) de[ids[r]! * h + j]! += dx[r * h + j]!;
  }

  // ---- objective -------------------------------------------------------------------

  /**
   * Loss and gradients of one step without touching weights or optimizer state (what
   * trainStep applies; tests compare it with finite differences and with the GPU model).
   */
  gradients(mbs: MicroBatch[]): GradientResult {
    validateMicroBatches(this.config, mbs);
    const weights = stepTokenWeights(mbs);
    const effGrads = new Map<string, F64>();
    // gradients w.r.t. effective weights: every weight, or under LoRA the targeted bases only
    const names = this.lora ? this.lora.targets.map((t) => t.base) : [...this.w.keys()];
    for (const n of names) effGrads.set(n, new Float64Array(this.w.get(n)!.length));
    const metrics = new StepMetrics();
    let loss = 0;
    mbs.forEach((mb, mi) => {
      const { B, T, ids, targets } = mb.batch;
      const o = mb.objective;
      const fc = this.forward(ids, B, T, true);
      const V = this.config.vocab_size;
      const tau = o.kind === 'grpo' ? (o.temperature ?? 1) : 1;
      const gc = o.kind === 'grpo' ? grpoConfigOf(o, B, T) : null;
      const w = weights[mi]!;
      const dlogits = new Float64Array(B * T * V);
      const probs = new Float64Array(V);
      for (let r = 0; r < B * T; r++) {
        const tg = targets[r]!;
        if (tg < 0) continue;
        const { logp, entropy, argmax } = rowStats(fc.logits, r, V, tau, tg, probs);
        const adv = o.kind === 'grpo' ? o.advantages[Math.floor(r / T)]! : 0;
        const old = o.kind === 'grpo' && o.oldLogprobs ? o.oldLogprobs[r]! : logp;
        const ref = o.kind === 'grpo' && o.refLogprobs ? o.refLogprobs[r]! : null;
        metrics.add(o, logp, old, ref, adv, entropy, argmax === tg);
        const [l, dl] = perTokenLoss(o, logp, old, ref ?? logp, adv, gc);
        loss += w[r]! * l;
        const gl = w[r]! * dl;
        // ∂logp/∂logits_j = (1[j = target] − softmax_j(logits/τ)) / τ
        for (let j = 0; j < V; j++) dlogits[r * V + j] = (-gl * probs[j]!) / tau;
        dlogits[r * V + tg]! += gl / tau;
      }
      this.backward(fc, ids, dlogits, effGrads);
    });
    let grads = effGrads;
    if (this.lora) {
      // W' = W + s·B·A: dA = s·Bᵀ·dW', dB = s·dW'·Aᵀ
      grads = new Map();
      const { targets, weights: lw, scale, settings } = this.lora;
      const r = settings.r;
      for (const t of targets) {
        const dW = effGrads.get(t.base)!;
        const A = lw.get(t.a)!;
        const Bm = lw.get(t.b)!;
        const dA = new Float64Array(r * t.in);
        const dB = new Float64Array(t.out * r);
        for (let o = 0; o < t.out; o++)
          for (let k = 0; k < r; k++) {
            const b = Bm[o * r + k]!;
            let sb = 0;
            for (let i = 0; i < t.in; i++) {
              const d = dW[o * t.in + i]!;
              dA[k * t.in + i]! += scale * b * d;
              sb += d * A[k * t.in + i]!;
            }
            dB[o * r + k] = scale * sb;
          }
        grads.set(t.a, dA);
        grads.set(t.b, dB);
      }
    }
    return { loss, grads, metrics: metrics.result(loss, 0, true) };
  }

  async trainStep(mbs: MicroBatch[], opt: OptimizerSettings): Promise<StepResult> {
    const { loss, grads, metrics } = this.gradients(mbs);
    let ss = 0;
    for (const g of grads.values()) for (let i = 0; i < g.length; i++) ss += g[i]! * g[i]!;
    const norm = Math.sqrt(ss);
    if (!Number.isFinite(loss) || !Number.isFinite(norm)) return { ...metrics, grad_norm: norm, applied: false };
    const coef = opt.max_grad_norm > 0 ? Math.min(1, opt.max_grad_norm / (norm + 1e-6)) : 1;
    this.step++;
    const params = this.lora ? this.lora.weights : this.w;
    for (const [name, g] of grads) {
      const p = params.get(name)!;
      const m = this.m.get(name) ?? new Float32Array(p.length);
      const v = this.v.get(name) ?? new Float32Array(p.length);
      const r = adamwCpu(p, g, m, v, { lr: opt.lr, beta1: opt.beta1, beta2: opt.beta2, eps: opt.eps, weight_decay: decays(name) ? opt.weight_decay : 0, step: this.step }, coef);
      params.set(name, r.param);
      this.m.set(name, r.m);
      this.v.set(name, r.v);
    }
    this.eff = null;
    return { ...metrics, grad_norm: norm, applied: true };
  }

  // ---- inference -------------------------------------------------------------------

  async logits(ids: Int32Array, B: number, T: number): Promise<Float32Array> {
    validateBatch(this.config, { B, T, ids, targets: new Int32Array(B * T).fill(-1) }, 'logits');
    return Float32Array.from(this.forward(ids, B, T, false).logits);
  }

  async logprobs(batch: TokenBatch, temperature = 1): Promise<Float32Array> {
    validateBatch(this.config, batch, 'logprobs');
    if (!(temperature > 0)) throw new Error(`logprobs: temperature must be > 0, got ${temperature}`);
    const { B, T, ids, targets } = batch;
    const V = this.config.vocab_size;
    const fc = this.forward(ids, B, T, false);
    const out = new Float32Array(B * T);
    const probs = new Float64Array(V);
    for (let r = 0; r < B * T; r++) if (targets[r]! >= 0) out[r] = rowStats(fc.logits, r, V, temperature, targets[r]!, probs).logp;
    return out;
  }

  /**
   * Append `tokens` of one sequence at positions pos0.. to its KV cache and return the logits
   * of the last one (the per-row functions of forward(), in the same order).
   */
  private decodeChunk(cache: { k: F64[]; v: F64[] }, tokens: number[], pos0: number): F64 {
    const c = this.config;
    const W = this.weights();
    const { h, f, hd, nh, nkv, qDim, kvDim, group, scale } = this.dims();
    const n = tokens.length;
    this.rope.ensure(pos0 + n);
    const emb = W.get('model.embed_tokens.weight')!;
    let x: F64 = new Float64Array(n * h);
    for (let r = 0; r < n; r++) for (let j = 0; j < h; j++) x[r * h + j] = emb[tokens[r]! * h + j]!;
    const probs = new Float64Array(pos0 + n);
    this.layers.forEach((L, li) => {
      const { y: n1 } = rmsnorm(x, n, h, W.get(L.ln1)!, c.rms_norm_eps);
      const q = linear(n1, n, W.get(L.q)!, qDim, h);
      const k = linear(n1, n, W.get(L.k)!, kvDim, h);
      const v = linear(n1, n, W.get(L.v)!, kvDim, h);
      for (let r = 0; r < n; r++) {
        ropeRow(q, r, nh, hd, pos0 + r, this.rope, 1);
        ropeRow(k, r, nkv, hd, pos0 + r, this.rope, 1);
      }
      const K = cache.k[li]!;
      const Vc = cache.v[li]!;
      K.set(k, pos0 * kvDim);
      Vc.set(v, pos0 * kvDim);
      const att = new Float64Array(n * qDim);
      for (let r = 0; r < n; r++)
        for (let hq = 0; hq < nh; hq++) attendRow(q, r * qDim + hq * hd, K, Vc, 0, pos0 + r + 1, kvDim, Math.floor(hq / group) * hd, hd, scale, att, r * qDim + hq * hd, probs);
      const ao = linear(att, n, W.get(L.o)!, h, qDim);
      const x2 = new Float64Array(n * h);
      for (let i = 0; i < n * h; i++) x2[i] = x[i]! + ao[i]!;
      const { y: n2 } = rmsnorm(x2, n, h, W.get(L.ln2)!, c.rms_norm_eps);
      const g = linear(n2, n, W.get(L.gate)!, f, h);
      const u = linear(n2, n, W.get(L.up)!, f, h);
      const hmid = new Float64Array(n * f);
      for (let i = 0; i < n * f; i++) hmid[i] = silu(g[i]!) * u[i]!;
      const mo = linear(hmid, n, W.get(L.down)!, h, f);
      const x3 = new Float64Array(n * h);
      for (let i = 0; i < n * h; i++) x3[i] = x2[i]! + mo[i]!;
      x = x3;
    });
    const last = x.subarray((n - 1) * h, n * h);
    const { y: nf } = rmsnorm(last, 1, h, W.get('model.norm.weight')!, c.rms_norm_eps);
    return linear(nf, 1, W.get(this.headName)!, c.vocab_size, h);
  }

  async generate(prompts: number[][], opts: GenerateOptions): Promise<Generation> {
    return this.generateTraced(prompts, opts);
  }

  /** generate(), reporting the logits each token was drawn from (tests: cached vs re-forwarded) */
  async generateTraced(prompts: number[][], opts: GenerateOptions, trace?: (row: number, step: number, logits: F64) => void): Promise<Generation> {
    const c = this.config;
    checkGenerate(c, prompts, opts);
    const kvDim = c.num_key_value_heads * c.head_dim;
    const rng = new Rng(opts.seed);
    const B = prompts.length;
    const tokens: number[][] = prompts.map(() => []);
    const truncated = prompts.map(() => false);
    const caches = prompts.map((p) => {
      const len = p.length + opts.max_new_tokens;
      return { k: this.layers.map(() => new Float64Array(len * kvDim)), v: this.layers.map(() => new Float64Array(len * kvDim)) };
    });
    const logits: (F64 | null)[] = prompts.map((p, b) => (opts.max_new_tokens > 0 ? this.decodeChunk(caches[b]!, p, 0) : null));
    const stop = new Set(opts.stop_ids);
    for (let s = 0; s < opts.max_new_tokens; s++) {
      // one uniform per row per step, finished or not, so every row's draws are fixed by the seed alone
      const u = Array.from({ length: B }, () => rng.next());
      for (let b = 0; b < B; b++) {
        const lg = logits[b];
        if (!lg) continue;
        trace?.(b, s, lg);
        const id = sampleCpu(Float32Array.from(lg), 0, c.vocab_size, opts.temperature, opts.top_p, u[b]!).id;
        tokens[b]!.push(id);
        if (stop.has(id)) logits[b] = null;
        else if (s + 1 === opts.max_new_tokens) {
          truncated[b] = true;
          logits[b] = null;
        } else logits[b] = this.decodeChunk(caches[b]!, [id], prompts[b]!.length + s);
      }
    }
    return { tokens, truncated };
  }

  // ---- state -----------------------------------------------------------------------

  async getWeights(opts: { merged?: boolean } = {}): Promise<Weights> {
    const src = opts.merged === false ? this.w : this.weights();
    return new Map([...src].map(([k, t]) => [k, Float32Array.from(t)]));
  }

  async setWeights(w: Weights): Promise<void> {
    checkWeights(this.config, w);
    for (const s of parameterSpecs(this.config)) this.w.set(s.name, Float32Array.from(w.get(s.name)!));
    this.eff = null;
  }

  async getOptimizerState(): Promise<{ step: number; m: Weights; v: Weights }> {
    const copy = (src: Weights) => new Map(this.trainableNames().map((n) => [n, Float32Array.from(src.get(n) ?? new Float32Array(this.sizeOf(n)))]));
    return { step: this.step, m: copy(this.m), v: copy(this.v) };
  }

  async setOptimizerState(s: { step: number; m: Weights; v: Weights }): Promise<void> {
    if (!Number.isInteger(s.step) || s.step < 0) throw new Error(`optimizer step must be an integer ≥ 0, got ${s.step}`);
    const m: Weights = new Map();
    const v: Weights = new Map();
    for (const n of this.trainableNames()) {
      const size = this.sizeOf(n);
      for (const [src, dst, what] of [[s.m, m, 'm'], [s.v, v, 'v']] as const) {
        const t = src.get(n);
        if (!t) throw new Error(`optimizer state has no ${what} for ${n}`);
        if (t.length !== size) throw new Error(`optimizer state ${what} for ${n} has ${t.length} values, expected ${size}`);
        dst.set(n, Float32Array.from(t));
      }
    }
    this.step = s.step;
    this.m = m;
    this.v = v;
  }

  private sizeOf(name: string): number {
    return (this.lora?.weights.get(name) ?? this.w.get(name))!.length;
  }

  async enableLora(l: LoraSettings, seed: number): Promise<void> {
    const targets = loraTargets(this.config, l);
    if (targets.length === 0) throw new Error('LoRA target_modules is empty: nothing would train');
    this.lora = { settings: { ...l }, targets, weights: initLora(targets, l.r, seed), scale: loraScale(l) };
    // a fresh optimizer for the adapters
    this.step = 0;
    this.m = new Map();
    this.v = new Map();
    this.eff = null;
  }

  async getLoraWeights(): Promise<Weights> {
    return new Map([...(this.lora?.weights ?? [])].map(([k, t]) => [k, Float32Array.from(t)]));
  }

  async setLoraWeights(w: Weights): Promise<void> {
    if (!this.lora) throw new Error('setLoraWeights: LoRA is not enabled (call enableLora with the run\'s settings first)');
    for (const [name, t] of this.lora.weights) {
      const src = w.get(name);
      if (!src) throw new Error(`LoRA weights have no ${name}`);
      if (src.length !== t.length) throw new Error(`LoRA weight ${name} has ${src.length} values, expected ${t.length}`);
    }
    for (const name of this.lora.weights.keys()) this.lora.weights.set(name, Float32Array.from(w.get(name)!));
    this.eff = null;
  }

  memoryBytes(): number {
    let n = 0;
    for (const t of this.w.values()) n += t.byteLength;
    for (const t of this.m.values()) n += t.byteLength;
    for (const t of this.v.values()) n += t.byteLength;
    for (const t of this.lora?.weights.values() ?? []) n += t.byteLength;
    return n;
  }

  dispose(): void {
    this.w.clear();
    this.m.clear();
    this.v.clear();
    this.eff = null;
  }
}

/** log softmax(logits/τ)[target], the entropy of softmax(logits/τ), argmax of the logits; probs receives softmax(logits/τ). */
export function rowStats(logits: ArrayLike<number>, r: number, V: number, tau: number, target: number, probs: F64): { logp: number; entropy: number; argmax: number } {
  const o = r * V;
  let mx = -Infinity;
  let argmax = 0;
  for (let j = 0; j < V; j++) {
    const z = logits[o + j]!;
    if (z > mx) {
      mx = z;
      argmax = j;
    }
  }
  let sum = 0;
  for (let j = 0; j < V; j++) sum += probs[j] = Math.exp((logits[o + j]! - mx) / tau);
  const lse = Math.log(sum);
  let entropy = 0;
  for (let j = 0; j < V; j++) {
    const p = probs[j]! / sum;
    probs[j] = p;
    if (p > 0) entropy -= p * ((logits[o + j]! - mx) / tau - lse);
  }
  return { logp: (logits[o + target]! - mx) / tau - lse, entropy, argmax };
}

export function checkGenerate(c: LlamaConfig, prompts: number[][], opts: GenerateOptions): void {
  if (!Number.isInteger(opts.max_new_tokens) || opts.max_new_tokens < 0) throw new Error(`generate: max_new_tokens must be an integer ≥ 0, got ${opts.max_new_tokens}`);
  if (!(opts.temperature >= 0)) throw new Error(`generate: temperature must be ≥ 0, got ${opts.temperature}`);
  if (!(opts.top_p > 0 && opts.top_p <= 1)) throw new Error(`generate: top_p must be in (0, 1], got ${opts.top_p}`);
  prompts.forEach((p, b) => {
    if (p.length === 0) throw new Error(`generate: prompt ${b} is empty (a prompt needs at least one token, e.g. BOS)`);
    if (p.length + opts.max_new_tokens > c.max_position_embeddings) throw new Error(`generate: prompt ${b} has ${p.length} tokens; with max_new_tokens ${opts.max_new_tokens} it would pass max_position_embeddings = ${c.max_position_embeddings}`);
    checkIds(p, c.vocab_size, `generate: prompt ${b}`);
  });
  checkIds(opts.stop_ids, c.vocab_size, 'generate: stop_ids');
}

/** The CPU reference model from a seed (fresh weights) or from weights (a checkpoint). */
export function createCpuModel(config: LlamaConfig, init: { seed: number } | Weights): CpuModel {
  return init instanceof Map ? new CpuModel(config, { weights: init }) : new CpuModel(config, { seed: init.seed });
}
