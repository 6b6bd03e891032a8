/**
 * The GPU model: the CausalLM contract on WebGPU through GpuRuntime and the WGSL kernels in
 * shaders/, the same maths as the CPU reference (cpu-model.ts) in float32.
 *
 * Weights, gradients and both AdamW moments are flat buffers (gpu-layout.ts), so the fused
 * projections (q/k/v, gate/up) are single matmuls and clipping + AdamW are three dispatches.
 * A training step (every micro-batch's forward and backward, the objective, the metrics, the
 * grad norm, clipping and AdamW) is recorded into one command encoder and submitted once; only
 * the metrics come back (10 floats). A NaN/Inf loss or gradient makes the AdamW kernel skip the
 * update on the GPU itself. Generation prefills the right-padded prompts with the training
 * forward (filling a KV cache), then decodes one token per row per step against the cache with
 * per-row positions, sampling on the GPU from seeded uniforms drawn on the CPU; several steps
 * are recorded per submit and the tokens read back between chunks to stop early.
 * Per layer the forward is 8 dispatches (qkv, attention, o, add+norm, gate/up, SwiGLU, down,
 * add+norm) and the backward 15; see README.md for the counts per step.
 */
import { encodeLmAttentionBackward, encodeLmAttentionDecode, encodeLmAttentionForward, encodeLmKvFill, lmRopeTable } from '../../gpu/kernels/lm-attention';
import { encodeLmLoss, encodeLmStatsReduce, type LmLossMode } from '../../gpu/kernels/lm-loss';
import { encodeSwigluPacked, encodeSwigluPackedBackward } from '../../gpu/kernels/lm-mlp';
import { embedScatterCsr, encodeAddNorm, encodeEmbedNorm, encodeEmbedScatter, encodeGatherLast, encodeNormBackward, encodeRowIndex } from '../../gpu/kernels/lm-norm';
import { encodeLmAdamw, encodeLmGradNorm, lmPartials } from '../../gpu/kernels/lm-optim';
import { encodeMatmul } from '../../gpu/kernels/matmul';
import { encodeSample } from '../../gpu/kernels/sample';
import { DeviceLostError, type GpuRuntime, type GpuTensor } from '../../gpu/runtime';
import { Rng } from '../../synthesis/rng';
import type { CausalLM, Generation, GenerateOptions, LoraSettings, OptimizerSettings, StepResult, TokenBatch } from './causal-lm';
import type { LlamaConfig, Weights } from './config';
import { checkGenerate } from './cpu-model';
import { checkWeights, initWeights } from './init';
import { flatten, paramLayout, unflatten, type ParamLayout } from './gpu-layout';
import { initLora, loraScale, loraTargets, type LoraTarget } from './lora';
import { lossTokens, stepTokenWeights, validateBatch, validateMicroBatches, type MicroBatch } from './objective';

/** A weight operand: a buffer and the element offset of the tensor in it. */
interface W {
  buf: GpuTensor;
  off: number;
}

/** A layer's input: the residual stream, its RMSNorm and 1/rms (the last one is the final norm's). */
interface LayerIn {
  x: GpuTensor;
  n: GpuTensor;
  rstd: GpuTensor;
}

/** What a layer computes and its backward reads. */
interface LayerBody {
  qkv: GpuTensor;
  att: GpuTensor;
  lse: GpuTensor;
  x2: GpuTensor;
  n2: GpuTensor;
  rstd2: GpuTensor;
  gu: GpuTensor;
  hm: GpuTensor;
}

interface Forward {
  /** inputs[l] for l < L, inputs[L] = the final norm (inference: one set reused) */
  inputs: LayerIn[];
  bodies: LayerBody[];
  /** every tensor it allocated, to release after the submit */
  tensors: GpuTensor[];
  final: LayerIn;
}

interface LoraState {
  settings: LoraSettings;
  targets: Array<LoraTarget & { aOff: number; bOff: number; baseOff: number }>;
  scale: number;
  total: number;
  params: GpuTensor;
  grads: GpuTensor;
  m: GpuTensor;
  v: GpuTensor;
  /** base weights with the adapters merged (what the forward reads) */
  eff: GpuTensor;
  dirty: boolean;
}

const GEN_CHUNK = 16;

export interface GpuModelOptions {
  /** decode steps recorded per submit before the tokens are read back to check for stops (default 16) */
  generateChunk?: number;
  /** loss rows per LM-head chunk (default: a 64 MiB logits block); tests set it small */
  headChunkRows?: number;
}

export class GpuModel implements CausalLM {
  readonly backend = 'webgpu' as const;
  readonly layout: ParamLayout;
  /** kernel dispatches recorded by the last trainStep (all micro-batches, objective, optimizer) */
  lastStepDispatches = 0;
  /** kernel dispatches of the last generate() call, per decoded step (prefill excluded) */
  lastDecodeDispatchesPerStep = 0;
  private readonly params: GpuTensor;
  /** gradient and AdamW buffers, allocated on first use (a frozen reference model never needs them) */
  private lazy = new Map<'grads' | 'm' | 'v', GpuTensor>();
  private readonly rope: GpuTensor;
  private readonly partials: GpuTensor;
  private readonly result: GpuTensor;
  private readonly metrics: GpuTensor;
  private lora: LoraState | null = null;
  private step = 0;
  private disposed = false;
  private peakActivationBytes = 0;
  private readonly genChunk: number;
  private readonly headChunk: number | undefined;

  constructor(
    private readonly rt: GpuRuntime,
    readonly config: LlamaConfig,
    weights: Weights,
    opts: GpuModelOptions = {},
  ) {
    checkWeights(config, weights);
    if (config.head_dim % 2) throw new Error(`head_dim must be even, got ${config.head_dim}`);
    this.layout = paramLayout(config);
    const n = this.layout.total;
    this.params = rt.upload(flatten(this.layout, weights), 'params');
    this.rope = rt.upload(lmRopeTable(config.max_position_embeddings, config.head_dim, config.rope_theta), 'rope');
    this.partials = rt.empty(lmPartials(n), 'grad_partials');
    this.result = rt.empty(3, 'clip_result');
    this.metrics = rt.empty(8, 'step_metrics');
    this.genChunk = opts.generateChunk ?? GEN_CHUNK;
    this.headChunk = opts.headChunkRows;
  }

  // ---- helpers ---------------------------------------------------------------------

  private flatBuffer(which: 'grads' | 'm' | 'v'): GpuTensor {
    let t = this.lazy.get(which);
    // an upload, not rt.zeros: a clear is recorded into the open step and would run after any
    // setOptimizerState write queued before that step's submit
    if (!t) this.lazy.set(which, (t = this.rt.upload(new Float32Array(this.layout.total), which === 'grads' ? 'grads' : `adam_${which}`)));
    return t;
  }

  private get grads(): GpuTensor {
    return this.flatBuffer('grads');
  }

  private get m(): GpuTensor {
    return this.flatBuffer('m');
  }

  private get v(): GpuTensor {
    return this.flatBuffer('v');
  }

  private get c() {
    const c = this.config;
    return {
      h: c.hidden_size,
      f: c.intermediate_size,
      d: c.head_dim,
      nh: c.num_attention_heads,
      nkv: c.num_key_value_heads,
      qDim: c.num_attention_heads * c.head_dim,
      qkvDim: (c.num_attention_heads + 2 * c.num_key_value_heads) * c.head_dim,
      V: c.vocab_size,
      L: c.num_hidden_layers,
      eps: c.rms_norm_eps,
    };
  }

  /** the buffer the forward reads weights from (base merged with the adapters under LoRA) */
  private get wbuf(): GpuTensor {
    return this.lora ? this.lora.eff : this.params;
  }

  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.disposed) throw new Error(`${what}: this model was disposed`);
    try {
      return await fn();
    } catch (e) {
      if (!this.rt.isLost) await Promise.race([this.rt.lost, new Promise((r) => setTimeout(r, 50))]);
      if (this.rt.isLost && !(e instanceof DeviceLostError)) throw new DeviceLostError('destroyed', `${what}: ${(e as Error).message}`);
      throw e;
    }
  }

  /** y = x·Wᵀ: x [rows, inn], W [out, inn] */
  private linear(x: GpuTensor, w: W, y: GpuTensor, rows: number, out: number, inn: number, label: string): void {
    encodeMatmul(this.rt, x, w.buf, y, { m: rows, n: out, k: inn, transB: true, offsets: { b: w.off }, label: `${label} (${rows}×${inn}·${out}×${inn}ᵀ)` });
  }

  /** dx (+)= dy·W */
  private linearDx(dy: GpuTensor, w: W, dx: GpuTensor, rows: number, out: number, inn: number, label: string, accumulate = false): void {
    encodeMatmul(this.rt, dy, w.buf, dx, { m: rows, n: inn, k: out, beta: accumulate ? 1 : 0, offsets: { b: w.off }, label: `${label} dx (${rows}×${out}·${out}×${inn})` });
  }

  /** grads[off] += dyᵀ·x (the weight gradient, accumulated over micro-batches) */
  private linearDw(dy: GpuTensor, x: GpuTensor, grads: GpuTensor, off: number, rows: number, out: number, inn: number, label: string): void {
    encodeMatmul(this.rt, dy, x, grads, { m: out, n: inn, k: rows, transA: true, beta: 1, offsets: { c: off }, label: `${label} dW (${rows}×${out})ᵀ·${rows}×${inn}` });
  }

  /** which weight gradients this step needs (all; under LoRA only the stacks holding a target) */
  private trains(kind: 'qkv' | 'o' | 'gu' | 'down' | 'norm' | 'embed' | 'head', layer = -1): boolean {
    if (!this.lora) return true;
    if (kind === 'norm' || kind === 'embed' || kind === 'head') return false;
    const mods = this.lora.settings.target_modules;
    const want = kind === 'qkv' ? ['q_proj', 'k_proj', 'v_proj'] : kind === 'gu' ? ['gate_proj', 'up_proj'] : kind === 'o' ? ['o_proj'] : ['down_proj'];
    return layer >= 0 && want.some((m) => mods.includes(m));
  }

  private allocIn(rows: number, label: string, out: GpuTensor[]): LayerIn {
    const h = this.c.h;
    const r = { x: this.rt.empty(rows * h, `${label}.x`), n: this.rt.empty(rows * h, `${label}.n`), rstd: this.rt.empty(rows, `${label}.rstd`) };
    out.push(r.x, r.n, r.rstd);
    return r;
  }

  private allocBody(rows: number, label: string, out: GpuTensor[]): LayerBody {
    const { h, f, qDim, qkvDim, nh } = this.c;
    const e = (n: number, l: string) => {
      const t = this.rt.empty(n, `${label}.${l}`);
      out.push(t);
      return t;
    };
    return {
      qkv: e(rows * qkvDim, 'qkv'),
      att: e(rows * qDim, 'att'),
      lse: e(rows * nh, 'lse'),
      x2: e(rows * h, 'x2'),
      n2: e(rows * h, 'n2'),
      rstd2: e(rows, 'rstd2'),
      gu: e(rows * 2 * f, 'gu'),
      hm: e(rows * f, 'hm'),
    };
  }

  /** under LoRA: eff = base + s·B·A for every target whose adapters changed */
  private refreshLora(): void {
    const lo = this.lora;
    if (!lo || !lo.dirty) return;
    const r = lo.settings.r;
    for (const t of lo.targets) {
      this.rt.copy(this.params, lo.eff, t.out * t.in, t.baseOff, t.baseOff);
      encodeMatmul(this.rt, lo.params, lo.params, lo.eff, { m: t.out, n: t.in, k: r, alpha: lo.scale, beta: 1, offsets: { a: t.bOff, b: t.aOff, c: t.baseOff }, label: `lora merge ${t.base}` });
    }
    lo.dirty = false;
  }

  // ---- forward ---------------------------------------------------------------------

  /**
   * Record the forward of B rows of T tokens (ids: u32/i32 tensor) up to the final normed hidden
   * state. train: every layer keeps its activations for the backward; otherwise one set is
   * reused by every layer and, with a cache, each layer's rotated k/v go into it (prefill).
   */
  private encodeForward(ids: GpuTensor, B: number, T: number, train: boolean, cache?: { bufs: GpuTensor[]; len: number }): Forward {
    const { h, f, qDim, qkvDim, nh, nkv, d, V, L, eps } = this.c;
    const N = B * T;
    const lay = this.layout;
    const wb = this.wbuf;
    const tensors: GpuTensor[] = [];
    const tmp = this.rt.empty(N * h, 'proj_out');
    tensors.push(tmp);
    const inputs: LayerIn[] = [this.allocIn(N, 'in0', tensors)];
    const bodies: LayerBody[] = [];
    const shared = train ? null : this.allocBody(N, 'layer', tensors);
    encodeEmbedNorm(this.rt, { params: wb, ids, out: inputs[0]!.x, n: inputs[0]!.n, rstd: inputs[0]!.rstd }, { rows: N, d: h, eps }, { table: lay.embed, w: lay.layers[0]!.ln1, vocab: V });
    const s = { b: B, t: T, nh, nkv, d, theta: this.config.rope_theta };
    for (let l = 0; l < L; l++) {
      const o = lay.layers[l]!;
      const inp = inputs[l]!;
      const a = shared ?? this.allocBody(N, `layer${l}`, tensors);
      bodies.push(a);
      this.linear(inp.n, { buf: wb, off: o.qkv }, a.qkv, N, qkvDim, h, `layer ${l} qkv_proj`);
      encodeLmAttentionForward(this.rt, a.qkv, this.rope, a.att, a.lse, s); // rotates q and k in place
      if (cache) encodeLmKvFill(this.rt, { qkv: a.qkv, rope: this.rope, cache: cache.bufs[l]! }, s, this.cacheLayout(B, cache.len));
      this.linear(a.att, { buf: wb, off: o.o }, tmp, N, h, qDim, `layer ${l} o_proj`);
      encodeAddNorm(this.rt, { params: wb, xIn: inp.x, y: tmp, out: a.x2, n: a.n2, rstd: a.rstd2 }, { rows: N, d: h, eps }, o.ln2);
      this.linear(a.n2, { buf: wb, off: o.gu }, a.gu, N, 2 * f, h, `layer ${l} gate_up_proj`);
      encodeSwigluPacked(this.rt, a.gu, a.hm, N, f);
      this.linear(a.hm, { buf: wb, off: o.down }, tmp, N, h, f, `layer ${l} down_proj`);
      // inference overwrites the layer's input (read for the last time by the add above)
      const next = train ? this.allocIn(N, `in${l + 1}`, tensors) : inp;
      encodeAddNorm(this.rt, { params: wb, xIn: a.x2, y: tmp, out: next.x, n: next.n, rstd: next.rstd }, { rows: N, d: h, eps }, l + 1 < L ? lay.layers[l + 1]!.ln1 : lay.norm);
      inputs.push(next);
    }
    return { inputs, bodies, tensors, final: inputs[L]! };
  }

  /** loss rows per LM-head chunk: the logits block stays ≤ 64 MiB (a 49k vocabulary: 341 rows) */
  private headChunkRows(): number {
    return this.headChunk ?? Math.max(1, Math.floor((64 * 2 ** 20) / 4 / this.c.V));
  }

  /** one cache buffer per layer (K block then V block), so no single binding grows with depth */
  private cacheLayout(rows: number, len: number) {
    const per = rows * this.c.nkv * len * this.c.d;
    return { len, kOff: 0, vOff: per };
  }

  // ---- training --------------------------------------------------------------------

  async trainStep(mbs: MicroBatch[], opt: OptimizerSettings): Promise<StepResult> {
    return this.guard('trainStep', async () => {
      validateMicroBatches(this.config, mbs);
      const r = await this.runStep(mbs, opt, true);
      return r;
    });
  }

  /** Loss, metrics and the flat gradient of a step without applying it (tests against the CPU model). */
  async gradients(mbs: MicroBatch[]): Promise<{ result: StepResult; grads: Weights }> {
    return this.guard('gradients', async () => {
      validateMicroBatches(this.config, mbs);
      const result = await this.runStep(mbs, null, false);
      const [flat] = await this.rt.read(this.lora ? this.lora.grads : this.grads);
      return { result, grads: this.lora ? this.unflattenLora(flat!) : unflatten(this.layout, flat!) };
    });
  }

  private async runStep(mbs: MicroBatch[], opt: OptimizerSettings | null, apply: boolean): Promise<StepResult> {
    const rt = this.rt;
    const { h, f, qDim, qkvDim, nh, nkv, d, V, L, eps } = this.c;
    const lay = this.layout;
    const d0 = rt.dispatches;
    const tokenWeights = stepTokenWeights(mbs);
    // the LM head, the objective and their backward run only on the rows that carry a loss
    // (targets ≥ 0: completions, not prompts or padding), gathered into a compact block
    const lossRows = mbs.map((mb) => {
      const r: number[] = [];
      for (let i = 0; i < mb.batch.targets.length; i++) if (mb.batch.targets[i]! >= 0) r.push(i);
      return r;
    });
    const totalRows = lossRows.reduce((s, r) => s + r.length, 0);
    const maxN = Math.max(...mbs.map((mb) => mb.batch.B * mb.batch.T));
    const chunk = this.headChunkRows();
    const maxM = Math.min(chunk, Math.max(1, ...lossRows.map((r) => r.length)));
    const held: GpuTensor[] = [];
    const t = (x: GpuTensor) => (held.push(x), x);
    this.refreshLora();
    const grads = this.grads;
    rt.clear(grads);
    if (this.lora) rt.clear(this.lora.grads);
    const stats = t(rt.empty(Math.max(1, totalRows) * 8, 'token_stats'));
    const logits = t(rt.empty(maxM * V, 'logits'));
    const nfc = t(rt.empty(maxM * h, 'loss_rows_hidden'));
    const dnc = t(rt.empty(maxM * h, 'loss_rows_d_hidden'));
    const dx = t(rt.empty(maxN * h, 'd_residual'));
    const dn = t(rt.empty(maxN * h, 'd_norm_out'));
    const dh = t(rt.empty(maxN * f, 'd_mlp_hidden'));
    const dgu = t(rt.empty(maxN * 2 * f, 'd_gate_up'));
    const datt = t(rt.empty(maxN * qDim, 'd_att'));
    const dqkv = t(rt.empty(maxN * qkvDim, 'd_qkv'));
    const delta = t(rt.empty(maxN * nh, 'attn_delta'));
    const wb = this.wbuf;
    let statOff = 0;
    let bytes = 0;
    mbs.forEach((mb, mi) => {
      const { B, T } = mb.batch;
      const N = B * T;
      const rows = lossRows[mi]!;
      const M = rows.length;
      if (M === 0) return; // no loss token: the micro-batch adds nothing to the loss or the gradient
      const o = mb.objective;
      const ids = t(rt.upload(mb.batch.ids, `ids[${mi}]`));
      const fw = this.encodeForward(ids, B, T, true);
      held.push(...fw.tensors);
      bytes = Math.max(bytes, fw.tensors.reduce((sum, x) => sum + x.length * 4, 0));
      const mode: LmLossMode = o.kind === 'sft' ? 'sft' : o.loss_type;
      const lc = { v: V, t: 1, mode, epsilon_low: o.kind === 'grpo' ? o.epsilon_low : 0, epsilon_high: o.kind === 'grpo' ? o.epsilon_high : 0, beta: o.kind === 'grpo' ? o.beta : 0, temperature: o.kind === 'grpo' ? (o.temperature ?? 1) : 1 };
      const compact = M < N || M > chunk;
      if (compact) rt.clear(dn);
      // the head in chunks of rows, so the logits block stays a bounded buffer for any vocabulary
      for (let c0 = 0; c0 < M; c0 += chunk) {
        const cr = rows.slice(c0, c0 + chunk);
        const Mc = cr.length;
        const tag = `${mi}:${c0}`;
        const pick = (src: ArrayLike<number>, into: Float32Array | Int32Array) => {
          cr.forEach((r, i) => (into[i] = src[r]!));
          return into;
        };
        const targets = t(rt.upload(pick(mb.batch.targets, new Int32Array(Mc)), `targets[${tag}]`));
        const weights = t(rt.upload(pick(tokenWeights[mi]!, new Float32Array(Mc)), `token_weights[${tag}]`));
        const adv = t(rt.upload(Float32Array.from(cr, (r) => (o.kind === 'grpo' ? o.advantages[Math.floor(r / T)]! : 0)), `advantages[${tag}]`));
        const old = o.kind === 'grpo' && o.oldLogprobs ? t(rt.upload(pick(o.oldLogprobs, new Float32Array(Mc)), `old_logprobs[${tag}]`)) : null;
        const ref = o.kind === 'grpo' && o.refLogprobs ? t(rt.upload(pick(o.refLogprobs, new Float32Array(Mc)), `ref_logprobs[${tag}]`)) : null;
        const idx = compact ? t(rt.upload(Uint32Array.from(cr), `loss_rows[${tag}]`)) : null;
        const hidden = idx ? nfc : fw.final.n;
        if (idx) encodeRowIndex(rt, 'gather', { x: fw.final.n, idx, out: nfc }, { rows: Mc, d: h, total: N });
        this.linear(hidden, { buf: wb, off: lay.head }, logits, Mc, V, h, 'lm_head');
        encodeLmLoss(rt, { logits, targets, weights, adv, old, ref, stats }, { ...lc, n: Mc }, { grad: true, statOff });
        statOff += Mc;
        // backward: logits now hold dlogits; rows without a loss keep a zero gradient
        if (idx) {
          this.linearDx(logits, { buf: wb, off: lay.head }, dnc, Mc, V, h, 'lm_head');
          encodeRowIndex(rt, 'scatter', { x: dnc, idx, out: dn }, { rows: Mc, d: h, total: N });
        } else this.linearDx(logits, { buf: wb, off: lay.head }, dn, Mc, V, h, 'lm_head');
        if (this.trains('head')) this.linearDw(logits, hidden, grads, lay.head, Mc, V, h, 'lm_head');
      }
      encodeNormBackward(rt, { params: wb, x: fw.final.x, rstd: fw.final.rstd, dn, dx, grads }, { rows: N, d: h, eps }, lay.norm, this.trains('norm') ? lay.norm : null, false);
      for (let l = L - 1; l >= 0; l--) {
        const a = fw.bodies[l]!;
        const inp = fw.inputs[l]!;
        const ol = lay.layers[l]!;
        this.linearDx(dx, { buf: wb, off: ol.down }, dh, N, h, f, `layer ${l} down_proj`);
        if (this.trains('down', l)) this.linearDw(dx, a.hm, grads, ol.down, N, h, f, `layer ${l} down_proj`);
        encodeSwigluPackedBackward(rt, a.gu, dh, dgu, N, f);
        this.linearDx(dgu, { buf: wb, off: ol.gu }, dn, N, 2 * f, h, `layer ${l} gate_up_proj`);
        if (this.trains('gu', l)) this.linearDw(dgu, a.n2, grads, ol.gu, N, 2 * f, h, `layer ${l} gate_up_proj`);
        encodeNormBackward(rt, { params: wb, x: a.x2, rstd: a.rstd2, dn, dx, grads }, { rows: N, d: h, eps }, ol.ln2, this.trains('norm') ? ol.ln2 : null);
        this.linearDx(dx, { buf: wb, off: ol.o }, datt, N, h, qDim, `layer ${l} o_proj`);
        if (this.trains('o', l)) this.linearDw(dx, a.att, grads, ol.o, N, h, qDim, `layer ${l} o_proj`);
        encodeLmAttentionBackward(rt, { qkv: a.qkv, rope: this.rope, att: a.att, lse: a.lse, datt, dqkv, delta }, { b: B, t: T, nh, nkv, d, theta: this.config.rope_theta });
        this.linearDx(dqkv, { buf: wb, off: ol.qkv }, dn, N, qkvDim, h, `layer ${l} qkv_proj`);
        if (this.trains('qkv', l)) this.linearDw(dqkv, inp.n, grads, ol.qkv, N, qkvDim, h, `layer ${l} qkv_proj`);
        encodeNormBackward(rt, { params: wb, x: inp.x, rstd: inp.rstd, dn, dx, grads }, { rows: N, d: h, eps }, ol.ln1, this.trains('norm') ? ol.ln1 : null);
      }
      if (this.trains('embed')) {
        // positions grouped by id on the CPU, so the scatter sums each row in a fixed order (reproducible runs)
        const g = embedScatterCsr(mb.batch.ids, V);
        const csr = t(rt.upload(g.data, `embed_csr[${mi}]`));
        encodeEmbedScatter(rt, { csr, dx, grads }, { rows: N, d: h, vocab: V, distinct: g.distinct }, lay.embed);
      }
    });
    this.peakActivationBytes = Math.max(this.peakActivationBytes, bytes);
    encodeLmStatsReduce(rt, stats, this.metrics, totalRows);
    if (this.lora) this.encodeLoraGrads();
    const lo = this.lora;
    const target = lo ? { grads: lo.grads, params: lo.params, m: lo.m, v: lo.v, n: lo.total, decayEnd: lo.total, partials: this.loraPartials! } : { grads: this.grads, params: this.params, m: this.m, v: this.v, n: lay.total, decayEnd: lay.decayEnd, partials: this.partials };
    const o = opt ?? { lr: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0, max_grad_norm: 0 };
    const oc = { lr: o.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps, weight_decay: o.weight_decay, step: this.step + 1, decay_end: target.decayEnd, max_norm: o.max_grad_norm };
    encodeLmGradNorm(rt, { grads: target.grads, loss: this.metrics, partials: target.partials, result: this.result }, target.n, oc);
    if (apply) encodeLmAdamw(rt, { grads: target.grads, params: target.params, m: target.m, v: target.v, result: this.result }, target.n, oc);
    this.lastStepDispatches = rt.dispatches - d0;
    const [met, res] = await rt.read(this.metrics, this.result);
    rt.release(...held);
    const numTokens = mbs.reduce((s, mb) => s + lossTokens(mb.batch), 0);
    const n = Math.max(1, numTokens);
    const ok = res![2] === 1;
    const loss = met![0]!;
    const applied = ok && Number.isFinite(loss);
    if (apply && applied) {
      this.step++;
      if (this.lora) this.lora.dirty = true;
    }
    return {
      loss,
      grad_norm: res![0]!,
      entropy: met![1]! / n,
      kl: met![6]! / n,
      clip_ratio: { low_mean: met![3]! / n, high_mean: met![4]! / n, region_mean: met![5]! / n },
      num_tokens: numTokens,
      mean_token_accuracy: met![2]! / n,
      applied: apply ? applied : false,
    };
  }

  // ---- LoRA ------------------------------------------------------------------------

  private loraPartials: GpuTensor | null = null;

  private encodeLoraGrads(): void {
    const lo = this.lora!;
    const r = lo.settings.r;
    for (const t of lo.targets) {
      // dA [r, in] = s·Bᵀ·dW ; dB [out, r] = s·dW·Aᵀ
      encodeMatmul(this.rt, lo.params, this.grads, lo.grads, { m: r, n: t.in, k: t.out, transA: true, alpha: lo.scale, offsets: { a: t.bOff, b: t.baseOff, c: t.aOff }, label: `lora dA ${t.a}` });
      encodeMatmul(this.rt, this.grads, lo.params, lo.grads, { m: t.out, n: r, k: t.in, transB: true, alpha: lo.scale, offsets: { a: t.baseOff, b: t.aOff, c: t.bOff }, label: `lora dB ${t.b}` });
    }
  }

  async enableLora(l: LoraSettings, seed: number): Promise<void> {
    return this.guard('enableLora', async () => {
      const targets = loraTargets(this.config, l);
      if (targets.length === 0) throw new Error('LoRA target_modules is empty: nothing would train');
      this.disposeLora();
      let at = 0;
      const placed = targets.map((t) => {
        const aOff = at;
        at = Math.ceil((at + l.r * t.in) / 64) * 64;
        const bOff = at;
        at = Math.ceil((at + t.out * l.r) / 64) * 64;
        return { ...t, aOff, bOff, baseOff: this.layout.tensors.get(t.base)!.offset };
      });
      const init = initLora(targets, l.r, seed);
      const flat = new Float32Array(at);
      for (const t of placed) {
        flat.set(init.get(t.a)!, t.aOff);
        flat.set(init.get(t.b)!, t.bOff);
      }
      const rt = this.rt;
      const eff = rt.empty(this.layout.total, 'lora_merged');
      rt.copy(this.params, eff, this.layout.total);
      const zeros = new Float32Array(at);
      this.lora = { settings: { ...l }, targets: placed, scale: loraScale(l), total: at, params: rt.upload(flat, 'lora'), grads: rt.upload(zeros, 'lora_grads'), m: rt.upload(zeros, 'lora_m'), v: rt.upload(zeros, 'lora_v'), eff, dirty: true };
      this.loraPartials = rt.empty(lmPartials(at), 'lora_partials');
      this.step = 0;
      await rt.flush();
    });
  }

  private disposeLora(): void {
    const lo = this.lora;
    if (!lo) return;
    this.rt.release(lo.params, lo.grads, lo.m, lo.v, lo.eff);
    if (this.loraPartials) this.rt.release(this.loraPartials);
    this.lora = null;
    this.loraPartials = null;
  }

  private unflattenLora(flat: Float32Array): Weights {
    const lo = this.lora!;
    const w: Weights = new Map();
    for (const t of lo.targets) {
      w.set(t.a, flat.slice(t.aOff, t.aOff + lo.settings.r * t.in));
      w.set(t.b, flat.slice(t.bOff, t.bOff + t.out * lo.settings.r));
    }
    return w;
  }

  async getLoraWeights(): Promise<Weights> {
    return this.guard('getLoraWeights', async () => {
      if (!this.lora) return new Map();
      const [flat] = await this.rt.read(this.lora.params);
      return this.unflattenLora(flat!);
    });
  }

  async setLoraWeights(w: Weights): Promise<void> {
    return this.guard('setLoraWeights', async () => {
      const lo = this.lora;
      if (!lo) throw new Error("setLoraWeights: LoRA is not enabled (call enableLora with the run's settings first)");
      const flat = new Float32Array(lo.total);
      for (const t of lo.targets) {
        for (const [name, off, size] of [[t.a, t.aOff, lo.settings.r * t.in], [t.b, t.bOff, t.out * lo.settings.r]] as const) {
          const src = w.get(name);
          if (!src) throw new Error(`LoRA weights have no ${name}`);
          if (src.length !== size) throw new Error(`LoRA weight ${name} has ${src.length} values, expected ${size}`);
          flat.set(src, off);
        }
      }
      this.rt.write(lo.params, flat);
      lo.dirty = true;
    });
  }

  // ---- inference -------------------------------------------------------------------

  async logits(ids: Int32Array, B: number, T: number): Promise<Float32Array> {
    return this.guard('logits', async () => {
      validateBatch(this.config, { B, T, ids, targets: new Int32Array(B * T).fill(-1) }, 'logits');
      const { h, V } = this.c;
      this.refreshLora();
      const tid = this.rt.upload(ids, 'ids');
      const fw = this.encodeForward(tid, B, T, false);
      const out = this.rt.empty(B * T * V, 'logits');
      this.linear(fw.final.n, { buf: this.wbuf, off: this.layout.head }, out, B * T, V, h, 'lm_head');
      const [r] = await this.rt.read(out);
      this.rt.release(tid, out, ...fw.tensors);
      return r!;
    });
  }

  async logprobs(batch: TokenBatch, temperature = 1): Promise<Float32Array> {
    return this.guard('logprobs', async () => {
      validateBatch(this.config, batch, 'logprobs');
      if (!(temperature > 0)) throw new Error(`logprobs: temperature must be > 0, got ${temperature}`);
      const { B, T } = batch;
      const N = B * T;
      const { h, V } = this.c;
      const rt = this.rt;
      const rows: number[] = [];
      for (let i = 0; i < N; i++) if (batch.targets[i]! >= 0) rows.push(i);
      const out = new Float32Array(N);
      const M = rows.length;
      if (M === 0) return out;
      this.refreshLora();
      // only the rows with a target go through the head (prompts and padding do not), in chunks
      const chunk = Math.min(M, this.headChunkRows());
      const held: GpuTensor[] = [];
      const t = (x: GpuTensor) => (held.push(x), x);
      const tid = t(rt.upload(batch.ids, 'ids'));
      const zeros = t(rt.upload(new Float32Array(chunk), 'zeros'));
      const stats = t(rt.empty(M * 8, 'token_stats'));
      const hidden = t(rt.empty(chunk * h, 'loss_rows_hidden'));
      const logits = t(rt.empty(chunk * V, 'logits'));
      const fw = this.encodeForward(tid, B, T, false);
      held.push(...fw.tensors);
      for (let c0 = 0; c0 < M; c0 += chunk) {
        const cr = rows.slice(c0, c0 + chunk);
        const tt = t(rt.upload(Int32Array.from(cr, (r) => batch.targets[r]!), `targets[${c0}]`));
        const idx = t(rt.upload(Uint32Array.from(cr), `loss_rows[${c0}]`));
        encodeRowIndex(rt, 'gather', { x: fw.final.n, idx, out: hidden }, { rows: cr.length, d: h, total: N });
        this.linear(hidden, { buf: this.wbuf, off: this.layout.head }, logits, cr.length, V, h, 'lm_head');
        encodeLmLoss(rt, { logits, targets: tt, weights: zeros, adv: zeros, old: null, ref: null, stats }, { n: cr.length, v: V, t: 1, mode: 'sft', epsilon_low: 0, epsilon_high: 0, beta: 0, temperature }, { grad: false, statOff: c0 });
      }
      const [s] = await rt.read(stats);
      rt.release(...held);
      rows.forEach((r, i) => (out[r] = s![i * 8 + 7]!));
      return out;
    });
  }

  async generate(prompts: number[][], opts: GenerateOptions): Promise<Generation> {
    return this.guard('generate', () => this.generateCached(prompts, opts));
  }

  private async generateCached(prompts: number[][], opts: GenerateOptions): Promise<Generation> {
    checkGenerate(this.config, prompts, opts);
    const rt = this.rt;
    const { h, f, qDim, qkvDim, nh, nkv, d, V, L, eps } = this.c;
    const B = prompts.length;
    const maxNew = opts.max_new_tokens;
    if (B === 0 || maxNew === 0) return { tokens: prompts.map(() => []), truncated: prompts.map(() => false) };
    const lens = prompts.map((p) => p.length);
    const Tp = Math.max(...lens);
    const cacheLen = Tp + maxNew;
    this.refreshLora();
    const wb = this.wbuf;
    const lay = this.layout;
    const held: GpuTensor[] = [];
    const t = (x: GpuTensor) => (held.push(x), x);
    const padded = new Int32Array(B * Tp);
    prompts.forEach((p, b) => padded.set(p, b * Tp));
    const rng = new Rng(opts.seed);
    const u = new Float32Array(maxNew * B);
    for (let i = 0; i < u.length; i++) u[i] = rng.next();
    const ids = t(rt.upload(padded, 'prompt_ids'));
    const tl = t(rt.upload(Uint32Array.from(lens), 'prompt_lens'));
    const tu = t(rt.upload(u, 'uniforms_u'));
    const tokens = t(rt.zeros(maxNew * B, 'tokens'));
    const caches = Array.from({ length: L }, (_, l) => t(rt.empty(2 * B * nkv * cacheLen * d, `kv_cache[${l}]`)));
    const sample = { n: B, v: V, temperature: opts.temperature, top_p: opts.top_p };
    // prefill: the padded prompts through the forward, k/v into the cache, logits at each prompt's last position
    const fw = this.encodeForward(ids, B, Tp, false, { bufs: caches, len: cacheLen });
    held.push(...fw.tensors);
    const last = t(rt.empty(B * h, 'last_hidden'));
    const logits = t(rt.empty(B * V, 'next_logits'));
    encodeGatherLast(rt, { x: fw.final.n, lens: tl, out: last }, { rows: B, t: Tp, d: h });
    this.linear(last, { buf: wb, off: lay.head }, logits, B, V, h, 'lm_head');
    encodeSample(rt, logits, tu, tokens, sample, { u: 0, ids: 0 });
    // decode scratch
    const x = t(rt.empty(B * h, 'x'));
    const x2 = t(rt.empty(B * h, 'x2'));
    const n1 = t(rt.empty(B * h, 'n1'));
    const rs = t(rt.empty(B, 'rstd'));
    const qkv = t(rt.empty(B * qkvDim, 'qkv'));
    const att = t(rt.empty(B * qDim, 'att'));
    const tmp = t(rt.empty(B * h, 'proj_out'));
    const gu = t(rt.empty(B * 2 * f, 'gu'));
    const hm = t(rt.empty(B * f, 'hm'));
    const s = { b: B, t: 1, nh, nkv, d, theta: this.config.rope_theta };
    const stop = new Set(opts.stop_ids);
    let done = 1;
    let finished = false;
    let out: Uint32Array | null = null;
    const perStep0 = rt.dispatches;
    let stepsRecorded = 0;
    while (true) {
      const until = Math.min(maxNew, done + this.genChunk);
      for (let step = done; step < until; step++) {
        // the token sampled at step−1 enters at position lens[b] + step − 1
        encodeEmbedNorm(rt, { params: wb, ids: tokens, out: x, n: n1, rstd: rs }, { rows: B, d: h, eps }, { table: lay.embed, w: lay.layers[0]!.ln1, vocab: V, idOff: (step - 1) * B });
        for (let l = 0; l < L; l++) {
          const o = lay.layers[l]!;
          this.linear(n1, { buf: wb, off: o.qkv }, qkv, B, qkvDim, h, `layer ${l} qkv_proj`);
          encodeLmAttentionDecode(rt, { qkv, rope: this.rope, lens: tl, cache: caches[l]!, att }, s, this.cacheLayout(B, cacheLen), step - 1, Tp + step);
          this.linear(att, { buf: wb, off: o.o }, tmp, B, h, qDim, `layer ${l} o_proj`);
          encodeAddNorm(rt, { params: wb, xIn: x, y: tmp, out: x2, n: n1, rstd: rs }, { rows: B, d: h, eps }, o.ln2);
          this.linear(n1, { buf: wb, off: o.gu }, gu, B, 2 * f, h, `layer ${l} gate_up_proj`);
          encodeSwigluPacked(rt, gu, hm, B, f);
          this.linear(hm, { buf: wb, off: o.down }, tmp, B, h, f, `layer ${l} down_proj`);
          encodeAddNorm(rt, { params: wb, xIn: x2, y: tmp, out: x, n: n1, rstd: rs }, { rows: B, d: h, eps }, l + 1 < L ? lay.layers[l + 1]!.ln1 : lay.norm);
        }
        this.linear(n1, { buf: wb, off: lay.head }, logits, B, V, h, 'lm_head');
        encodeSample(rt, logits, tu, tokens, sample, { u: step * B, ids: step * B });
        stepsRecorded++;
      }
      done = until;
      const [raw] = await rt.read(tokens);
      out = new Uint32Array(raw!.buffer, raw!.byteOffset, raw!.length);
      // stop early once every row has emitted a stop id
      finished = prompts.every((_, b) => {
        for (let st = 0; st < done; st++) if (stop.has(out![st * B + b]!)) return true;
        return false;
      });
      if (finished || done >= maxNew) break;
    }
    this.lastDecodeDispatchesPerStep = stepsRecorded ? (rt.dispatches - perStep0) / stepsRecorded : 0;
    rt.release(...held);
    return this.collect(out!, B, done, maxNew, stop);
  }

  private collect(raw: Uint32Array, B: number, steps: number, maxNew: number, stop: Set<number>): Generation {
    const tokens: number[][] = [];
    const truncated: boolean[] = [];
    for (let b = 0; b < B; b++) {
      const row: number[] = [];
      let hit = false;
      for (let st = 0; st < steps; st++) {
        const id = raw[st * B + b]!;
        row.push(id);
        if (stop.has(id)) {
          hit = true;
          break;
        }
      }
      tokens.push(row);
      truncated.push(!hit && row.length === maxNew);
    }
    return { tokens, truncated };
  }

  /**
   * Generation without a KV cache: every step re-runs the whole forward over prompt + tokens so
   * far and reads the sampled tokens back (what a naive implementation does; bench:step compares).
   */
  async generateUncached(prompts: number[][], opts: GenerateOptions): Promise<Generation> {
    return this.guard('generateUncached', async () => {
      checkGenerate(this.config, prompts, opts);
      const rt = this.rt;
      const { h, V } = this.c;
      const B = prompts.length;
      const maxNew = opts.max_new_tokens;
      const rng = new Rng(opts.seed);
      const seqs = prompts.map((p) => [...p]);
      const stop = new Set(opts.stop_ids);
      const outTokens: number[][] = prompts.map(() => []);
      const live = prompts.map(() => true);
      this.refreshLora();
      for (let step = 0; step < maxNew && live.some(Boolean); step++) {
        const u = Float32Array.from({ length: B }, () => rng.next());
        const T = Math.max(...seqs.map((q) => q.length));
        const padded = new Int32Array(B * T);
        seqs.forEach((q, b) => padded.set(q, b * T));
        const ids = rt.upload(padded, 'ids');
        const tl = rt.upload(Uint32Array.from(seqs.map((q) => q.length)), 'lens');
        const tu = rt.upload(u, 'u');
        const fw = this.encodeForward(ids, B, T, false);
        const last = rt.empty(B * h, 'last_hidden');
        const logits = rt.empty(B * V, 'next_logits');
        const toks = rt.empty(B, 'tokens');
        encodeGatherLast(rt, { x: fw.final.n, lens: tl, out: last }, { rows: B, t: T, d: h });
        this.linear(last, { buf: this.wbuf, off: this.layout.head }, logits, B, V, h, 'lm_head');
        encodeSample(rt, logits, tu, toks, { n: B, v: V, temperature: opts.temperature, top_p: opts.top_p });
        const [r] = await rt.read(toks);
        rt.release(ids, tl, tu, last, logits, toks, ...fw.tensors);
        const got = new Uint32Array(r!.buffer, r!.byteOffset, B);
        for (let b = 0; b < B; b++) {
          if (!live[b]) continue;
          outTokens[b]!.push(got[b]!);
          seqs[b]!.push(got[b]!);
          if (stop.has(got[b]!)) live[b] = false;
        }
      }
      return { tokens: outTokens, truncated: outTokens.map((row) => row.length === maxNew && !stop.has(row[row.length - 1]!)) };
    });
  }

  // ---- state -----------------------------------------------------------------------

  async getWeights(opts: { merged?: boolean } = {}): Promise<Weights> {
    return this.guard('getWeights', async () => {
      if (this.lora && opts.merged !== false) this.refreshLora();
      const [flat] = await this.rt.read(this.lora && opts.merged !== false ? this.lora.eff : this.params);
      return unflatten(this.layout, flat!);
    });
  }

  async setWeights(w: Weights): Promise<void> {
    return this.guard('setWeights', async () => {
      checkWeights(this.config, w);
      this.rt.write(this.params, flatten(this.layout, w));
      if (this.lora) {
        this.rt.copy(this.params, this.lora.eff, this.layout.total);
        this.lora.dirty = true;
        await this.rt.flush();
      }
    });
  }

  private trainableNames(): string[] {
    if (this.lora) return this.lora.targets.flatMap((t) => [t.a, t.b]);
    return [...this.layout.tensors.keys()];
  }

  async getOptimizerState(): Promise<{ step: number; m: Weights; v: Weights }> {
    return this.guard('getOptimizerState', async () => {
      const lo = this.lora;
      const [m, v] = await this.rt.read(lo ? lo.m : this.m, lo ? lo.v : this.v);
      const split = (flat: Float32Array) => (lo ? this.unflattenLora(flat) : unflatten(this.layout, flat));
      return { step: this.step, m: split(m!), v: split(v!) };
    });
  }

  async setOptimizerState(s: { step: number; m: Weights; v: Weights }): Promise<void> {
    return this.guard('setOptimizerState', async () => {
      if (!Number.isInteger(s.step) || s.step < 0) throw new Error(`optimizer step must be an integer ≥ 0, got ${s.step}`);
      const lo = this.lora;
      const sizes = new Map<string, { off: number; size: number }>();
      if (lo) for (const t of lo.targets) {
        sizes.set(t.a, { off: t.aOff, size: lo.settings.r * t.in });
        sizes.set(t.b, { off: t.bOff, size: t.out * lo.settings.r });
      }
      else for (const [name, p] of this.layout.tensors) sizes.set(name, { off: p.offset, size: p.size });
      const total = lo ? lo.total : this.layout.total;
      const flats = [new Float32Array(total), new Float32Array(total)];
      for (const name of this.trainableNames()) {
        const { off, size } = sizes.get(name)!;
        for (const [i, src, what] of [[0, s.m, 'm'], [1, s.v, 'v']] as const) {
          const t = src.get(name);
          if (!t) throw new Error(`optimizer state has no ${what} for ${name}`);
          if (t.length !== size) throw new Error(`optimizer state ${what} for ${name} has ${t.length} values, expected ${size}`);
          flats[i]!.set(t, off);
        }
      }
      this.rt.write(lo ? lo.m : this.m, flats[0]!);
      this.rt.write(lo ? lo.v : this.v, flats[1]!);
      this.step = s.step;
    });
  }

  memoryBytes(): number {
    const lo = this.lora;
    const persistent = [this.params, ...this.lazy.values(), this.rope, this.partials].reduce((s, t) => s + t.length * 4, 0);
    const loraBytes = lo ? (4 * lo.total + this.layout.total) * 4 : 0; // adapters, their grads and moments, the merged weights
    return persistent + loraBytes + this.peakActivationBytes;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeLora();
    this.rt.release(this.params, ...this.lazy.values(), this.rope, this.partials, this.result, this.metrics);
    this.lazy.clear();
  }
}

/** The GPU model from a seed (fresh weights, the same as the CPU model's for that seed) or from weights. */
export function createGpuModel(rt: GpuRuntime, config: LlamaConfig, init: { seed: number } | Weights, opts: GpuModelOptions = {}): GpuModel {
  return new GpuModel(rt, config, init instanceof Map ? init : initWeights(config, init.seed), opts);
}
