/**
 * The kernel benchmark, run in a browser page: our WGSL kernels against the same maths on
 * @tensorflow/tfjs-backend-webgpu, on the same adapter. Each case times ours and tfjs
 * alternately (so background load hits both alike), both ending in a readback of the
 * result, and reports the median times and their ratio. Used by `npm run bench:kernels`
 * (headless Chromium) and by the app's Bench view (the user's own GPU).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-webgpu';
import { acquireGpu, type GpuInfo } from '../src/gpu/device';
import { encodeAttentionBackward, encodeAttentionForward } from '../src/gpu/kernels/attention';
import { encodeGrpoLoss, type GrpoLossTensors } from '../src/gpu/kernels/grpo';
import { encodeMatmul, type MatmulShape } from '../src/gpu/kernels/matmul';
import { randomArray, relError } from '../src/gpu/kernels/testing';
import { GpuRuntime, type GpuTensor } from '../src/gpu/runtime';
import type { ShaderSource } from '../src/gpu/shader-source';

export interface CaseResult {
  group: 'matmul' | 'attention' | 'grpo_loss';
  name: string;
  shape: Record<string, number | boolean | string>;
  /** useful floating-point operations per run (causal attention counts the visible half) */
  flops: number;
  oursMs: number;
  tfjsMs: number;
  oursGflops: number;
  tfjsGflops: number;
  /** tfjs time / our time: > 1 means ours is faster */
  ratio: number;
  target: number | null;
  met: boolean | null;
  reps: number;
  /** max relative difference between our output and tfjs's (a sanity check that both compute the same thing) */
  maxRelDiff: number;
}

export interface KernelBenchResult {
  adapter: GpuInfo;
  tfjsBackend: string;
  cases: CaseResult[];
  cancelled: boolean;
}

export interface BenchOptions {
  quick?: boolean;
  /** toy shapes that finish in seconds on a software GPU: for tests of the harness itself, not for figures */
  tiny?: boolean;
  /** only cases whose name contains one of these */
  only?: string[];
  onProgress?: (done: number, total: number, last: CaseResult | null, next: string | null) => void;
  /** called once the device is acquired, with its adapter (so a caller can show it even if it stops the run early) */
  onStart?: (adapter: GpuInfo, tfjsBackend: string) => void;
  signal?: AbortSignal;
  /** total time budget per case side (ms); at least minReps runs each */
  budgetMs?: number;
}

interface Case {
  group: CaseResult['group'];
  name: string;
  shape: CaseResult['shape'];
  flops: number;
  target: number | null;
  setup(rt: GpuRuntime): { ours(): Promise<Float32Array>; tfjs(): Promise<Float32Array>; dispose(): void };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function matmulCase(name: string, s: MatmulShape, target: number | null): Case {
  return {
    group: 'matmul',
    name,
    shape: { m: s.m, n: s.n, k: s.k, transA: !!s.transA, transB: !!s.transB },
    flops: 2 * s.m * s.n * s.k,
    target,
    setup(rt) {
      const a = randomArray(s.m * s.k, 1);
      const b = randomArray(s.k * s.n, 2);
      const ta = rt.upload(a, 'a');
      const tb = rt.upload(b, 'b');
      const tc = rt.empty(s.m * s.n, 'c');
      const xa = tf.tensor2d(a, s.transA ? [s.k, s.m] : [s.m, s.k]);
      const xb = tf.tensor2d(b, s.transB ? [s.n, s.k] : [s.k, s.n]);
      return {
        async ours() {
          encodeMatmul(rt, ta, tb, tc, s);
          return (await rt.read(tc))[0]!;
        },
        async tfjs() {
          const c = tf.matMul(xa, xb, s.transA, s.transB);
          const out = (await c.data()) as Float32Array;
          c.dispose();
          return out;
        },
        dispose() {
          rt.release(ta, tb, tc);
          xa.dispose();
          xb.dispose();
        },
      };
    },
  };
}

function attentionCase(t: number, backward: boolean): Case {
  const [b, h, d] = [1, 4, 64];
  const s = { b, h, t, d, causal: true };
  // QKᵀ and PV over the visible (causal) half; the backward does about 2.5× the forward
  const fwd = 2 * 2 * b * h * d * ((t * (t + 1)) / 2);
  return {
    group: 'attention',
    name: `attention ${backward ? 'fwd+bwd' : 'fwd'} t=${t}`,
    shape: { b, h, t, d, causal: true },
    flops: backward ? fwd * 3.5 : fwd,
    target: 2,
    setup(rt) {
      const n = b * h * t * d;
      const [q, k, v, dy] = [randomArray(n, 3), randomArray(n, 4), randomArray(n, 5), randomArray(n, 6)];
      const g: Record<string, GpuTensor> = {
        q: rt.upload(q, 'q'), k: rt.upload(k, 'k'), v: rt.upload(v, 'v'), dout: rt.upload(dy, 'dout'),
        o: rt.empty(n, 'o'), lse: rt.empty(b * h * t, 'lse'), delta: rt.empty(b * h * t, 'delta'),
        dq: rt.empty(n, 'dq'), dk: rt.empty(n, 'dk'), dv: rt.empty(n, 'dv'),
      };
      const shape = [b, h, t, t];
      const maskData = new Float32Array(t * t);
      for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) maskData[i * t + j] = -1e9;
      const mask = tf.tensor(maskData, [1, 1, t, t]);
      const [xq, xk, xv, xdy] = [q, k, v, dy].map((a) => tf.tensor(a, [b, h, t, d]));
      const attn = (qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) =>
        tf.matMul(tf.softmax(tf.add(tf.mul(tf.matMul(qq, kk, false, true), 1 / Math.sqrt(d)), mask)), vv);
      const grads = tf.grads((qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) => attn(qq, kk, vv));
      void shape;
      return {
        async ours() {
          encodeAttentionForward(rt, g.q!, g.k!, g.v!, g.o!, g.lse!, s);
          if (!backward) return (await rt.read(g.o!))[0]!;
          encodeAttentionBackward(rt, { q: g.q!, k: g.k!, v: g.v!, o: g.o!, lse: g.lse!, dout: g.dout!, dq: g.dq!, dk: g.dk!, dv: g.dv!, delta: g.delta! }, s);
          const [, dq] = await rt.read(g.dv!, g.dq!, g.dk!);
          return dq!;
        },
        async tfjs() {
          if (!backward) {
            const o = tf.tidy(() => attn(xq!, xk!, xv!));
            const out = (await o.data()) as Float32Array;
            o.dispose();
            return out;
          }
          const gs = tf.tidy(() => grads([xq!, xk!, xv!], xdy!));
          const [dq] = await Promise.all(gs.map((x) => x.data() as Promise<Float32Array>));
          tf.dispose(gs);
          return dq!;
        },
        dispose() {
          rt.release(...Object.values(g));
          tf.dispose([mask, xq!, xk!, xv!, xdy!]);
        },
      };
    },
  };
}

function grpoCase(): Case {
  const [n, t] = [64, 256];
  const c = { n, t, epsilon_low: 0.2, epsilon_high: 0.28, beta: 0.04, loss_type: 'grpo' as const, max_completion_length: t };
  return {
    group: 'grpo_loss',
    name: 'grpo_loss+grad 64×256',
    shape: { n, t, loss_type: 'grpo', beta: 0.04 },
    flops: 0,
    target: null,
    setup(rt) {
      const x = {
        logp: randomArray(n * t, 7, 0.5, -2), old_logp: randomArray(n * t, 8, 0.3, -2), ref_logp: randomArray(n * t, 9, 0.5, -2),
        advantages: randomArray(n, 10, 1.5), mask: Float32Array.from(randomArray(n * t, 11), (m) => (m > -0.6 ? 1 : 0)),
      };
      const g: GrpoLossTensors = {
        logp: rt.upload(x.logp, 'logp'), old_logp: rt.upload(x.old_logp, 'old_logp'), ref_logp: rt.upload(x.ref_logp, 'ref_logp'),
        advantages: rt.upload(x.advantages, 'advantages'), mask: rt.upload(x.mask, 'mask'),
        loss: rt.empty(1, 'loss'), dlogp: rt.empty(n * t, 'dlogp'), counts: rt.empty(n + 1, 'counts'), contrib: rt.empty(n * t, 'contrib'),
      };
      const tl = tf.tensor2d(x.logp, [n, t]);
      const told = tf.tensor2d(x.old_logp, [n, t]);
      const tref = tf.tensor2d(x.ref_logp, [n, t]);
      const tadv = tf.tensor2d(x.advantages, [n, 1]);
      const tmask = tf.tensor2d(x.mask, [n, t]);
      // TRL's GRPOTrainer._compute_loss for loss_type "grpo", written with tfjs ops
      const loss = (lp: tf.Tensor) => {
        const ratio = tf.exp(tf.sub(lp, told));
        const clipped = tf.clipByValue(ratio, 1 - c.epsilon_low, 1 + c.epsilon_high);
        const perTok = tf.neg(tf.minimum(tf.mul(ratio, tadv), tf.mul(clipped, tadv)));
        const dr = tf.sub(tref, lp);
        const kl = tf.sub(tf.sub(tf.exp(dr), dr), 1);
        const l = tf.mul(tf.add(perTok, tf.mul(kl, c.beta)), tmask);
        return tf.mean(tf.div(tf.sum(l, 1), tf.maximum(tf.sum(tmask, 1), 1))) as tf.Scalar;
      };
      const grad = tf.grad(loss);
      return {
        async ours() {
          encodeGrpoLoss(rt, g, c);
          const [, d] = await rt.read(g.loss, g.dlogp);
          return d!;
        },
        async tfjs() {
          const d = tf.tidy(() => grad(tl));
          const out = (await d.data()) as Float32Array;
          d.dispose();
          return out;
        },
        dispose() {
          rt.release(...Object.values(g));
          tf.dispose([tl, told, tref, tadv, tmask]);
        },
      };
    },
  };
}

export function kernelCases(quick = false, tiny = false): Case[] {
  if (tiny) return [matmulCase('matmul 48²', { m: 48, n: 48, k: 48 }, 1.5), attentionCase(24, true)];
  const squares = quick ? [256, 512] : [256, 512, 1024, 2048];
  // a ~10M-parameter preset: d_model 384, MLP 1024, vocab 4096 (tied output); 2048 tokens per
  // step in the full run, 256 in the quick one (each case then takes well under a second,
  // even on a software GPU, so quick is quick and Cancel acts at once)
  const t = quick ? 256 : 2048;
  return [
    ...squares.map((s) => matmulCase(`matmul ${s}²`, { m: s, n: s, k: s }, 1.5)),
    matmulCase(`matmul qkv ${t}×384·384×1152`, { m: t, n: 1152, k: 384 }, 1.5),
    matmulCase(`matmul mlp-up ${t}×384·384×1024`, { m: t, n: 1024, k: 384 }, 1.5),
    matmulCase(`matmul mlp-down ${t}×1024·1024×384`, { m: t, n: 384, k: 1024 }, 1.5),
    matmulCase(`matmul logits ${t}×384·(4096×384)ᵀ`, { m: t, n: 4096, k: 384, transB: true }, 1.5),
    matmulCase(`matmul weight-grad (${t}×384)ᵀ·${t}×1024`, { m: 384, n: 1024, k: t, transA: true }, 1.5),
    ...(quick ? [128] : [128, 256, 512]).flatMap((t) => [attentionCase(t, false), attentionCase(t, true)]),
    grpoCase(),
  ];
}

export async function runKernelBench(shaders: ShaderSource, opts: BenchOptions = {}): Promise<KernelBenchResult> {
  const ctx = await acquireGpu(navigator.gpu);
  const rt = new GpuRuntime(ctx.device, shaders);
  await tf.setBackend('webgpu');
  await tf.ready();
  opts.onStart?.(ctx.info, tf.getBackend());
  const budget = opts.budgetMs ?? (opts.quick ? 1000 : 4000);
  let cases = kernelCases(opts.quick, opts.tiny);
  if (opts.only?.length) cases = cases.filter((c) => opts.only!.some((o) => c.name.includes(o)));
  const results: CaseResult[] = [];
  let cancelled = false;
  try {
    for (const [i, c] of cases.entries()) {
      if (opts.signal?.aborted) {
        cancelled = true;
        break;
      }
      opts.onProgress?.(i, cases.length, results.at(-1) ?? null, c.name);
      const run = c.setup(rt);
      try {
        // Cancel is checked between every GPU call, so it waits at most for the one in flight.
        const a = await run.ours(); // warm-up: pipelines compile, pools fill
        if (opts.signal?.aborted) {
          cancelled = true;
          break;
        }
        const b = await run.tfjs();
        if (opts.signal?.aborted) {
          cancelled = true;
          break;
        }
        const maxRelDiff = relError(a, b);
        const ours: number[] = [];
        const theirs: number[] = [];
        const t0 = performance.now();
        while (ours.length < 2 || (ours.length < 15 && performance.now() - t0 < 2 * budget)) {
          if (opts.signal?.aborted) break;
          let t = performance.now();
          await run.ours();
          ours.push(performance.now() - t);
          if (opts.signal?.aborted) break;
          t = performance.now();
          await run.tfjs();
          theirs.push(performance.now() - t);
        }
        if (opts.signal?.aborted) {
          cancelled = true; // a half-timed case is dropped, not reported
          break;
        }
        const oursMs = median(ours);
        const tfjsMs = median(theirs);
        const ratio = tfjsMs / oursMs;
        results.push({
          group: c.group, name: c.name, shape: c.shape, flops: c.flops,
          oursMs: round(oursMs), tfjsMs: round(tfjsMs),
          oursGflops: round(c.flops / oursMs / 1e6), tfjsGflops: round(c.flops / tfjsMs / 1e6),
          ratio: round(ratio), target: c.target, met: c.target === null ? null : ratio >= c.target,
          reps: ours.length, maxRelDiff: Number(maxRelDiff.toExponential(2)),
        });
      } finally {
        run.dispose();
        await rt.flush();
      }
    }
    opts.onProgress?.(results.length, cases.length, results.at(-1) ?? null, null);
  } finally {
    rt.trim();
    ctx.device.destroy();
  }
  return { adapter: ctx.info, tfjsBackend: tf.getBackend(), cases: results, cancelled };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
