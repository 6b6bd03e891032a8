/**
 * The model's fused kernels (lm_attention, lm_norm, lm_mlp, lm_loss, lm_optim, and matmul with
 * offsets and alpha/beta) against their CPU references in headless Chromium, on awkward shapes
 * and on the shapes the presets use (head_dim 16 / 32 / 64, grouped-query heads).
 * Tolerances as kernels.browser.test.ts: 1e-4 relative, 1e-3 for attention gradients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu } from '../device';
import { GpuRuntime, type GpuTensor } from '../runtime';
import { viteShaderSource } from '../shaders-vite';
import { adamwCpu } from './adamw-cpu';
import { embeddingScatterAddCpu, gradNormCpu } from './elementwise-cpu';
import { encodeLmAttentionBackward, encodeLmAttentionDecode, encodeLmAttentionForward, encodeLmKvFill, lmRopeTable } from './lm-attention';
import { lmAttentionBackwardCpu, lmAttentionForwardCpu, lmDecodeCpu, type LmAttentionShape } from './lm-attention-cpu';
import { encodeLmLoss, encodeLmStatsReduce } from './lm-loss';
import { lmLossCpu, type LmLossMode } from './lm-loss-cpu';
import { encodeSwigluPacked, encodeSwigluPackedBackward } from './lm-mlp';
import { swigluPackedBackwardCpu, swigluPackedCpu } from './lm-mlp-cpu';
import { embedScatterCsr, encodeAddNorm, encodeEmbedNorm, encodeEmbedScatter, encodeGatherLast, encodeNormBackward, encodeRowIndex } from './lm-norm';
import { encodeLmOptimizerStep, lmPartials } from './lm-optim';
import { encodeMatmul, matmulGpu } from './matmul';
import { matmulCpu } from './matmul-cpu';
import { rmsnormBackwardCpu, rmsnormForwardCpu } from './rmsnorm-cpu';
import { randomArray as ra, relError } from './testing';

let rt: GpuRuntime;
beforeAll(async () => {
  const ctx = await acquireGpu(navigator.gpu);
  rt = new GpuRuntime(ctx.device, viteShaderSource);
});
afterAll(() => rt?.device.destroy());

async function run<T>(fn: (held: GpuTensor[]) => Promise<T>): Promise<T> {
  const held: GpuTensor[] = [];
  try {
    return await fn(held);
  } finally {
    rt.release(...held);
  }
}

describe('matmul: alpha, beta and operand offsets', () => {
  it('c = alpha·op(a)·op(b) + beta·c on awkward and transposed shapes', async () => {
    for (const [m, k, n, transA, transB, alpha, beta] of [[17, 65, 33, false, false, 0.5, 1], [9, 7, 70, true, true, -2, 0.25], [64, 64, 64, false, true, 1, -1]] as const) {
      const a = ra(m * k, m);
      const b = ra(k * n, n);
      const c0 = ra(m * n, k);
      const s = { m, n, k, transA, transB, alpha, beta };
      const got = await matmulGpu(rt, a, b, s, c0);
      const want = matmulCpu(a, b, s, c0);
      expect(relError(got, want), JSON.stringify(s)).toBeLessThanOrEqual(1e-4);
      // beta ≠ 0 must really read c: the same product without c0 differs
      expect(relError(got, matmulCpu(a, b, { ...s, beta: 0 }))).toBeGreaterThan(1e-2);
    }
  });

  it('operands at element offsets inside larger tensors (weights of a flat buffer), accumulating', async () => {
    const [m, k, n] = [5, 12, 7];
    const big = ra(300, 1);
    const x = ra(m * k, 2);
    const acc = ra(200, 3);
    await run(async (held) => {
      const tb = rt.upload(big, 'flat');
      const tx = rt.upload(x, 'x');
      const tc = rt.upload(acc, 'acc');
      held.push(tb, tx, tc);
      // y = x·Wᵀ with W [n, k] at offset 37 of the flat buffer, added into acc at offset 101
      encodeMatmul(rt, tx, tb, tc, { m, n, k, transB: true, beta: 1, offsets: { b: 37, c: 101 } });
      const [got] = await rt.read(tc);
      const want = Float32Array.from(acc);
      want.set(matmulCpu(x, big.subarray(37, 37 + n * k), { m, n, k, transB: true, beta: 1 }, acc.subarray(101, 101 + m * n)), 101);
      expect(relError(got!, want)).toBeLessThanOrEqual(1e-4);
      expect(got!.subarray(0, 101)).toEqual(acc.subarray(0, 101));
      expect(() => encodeMatmul(rt, tx, tb, tc, { m, n, k, transB: true, offsets: { b: 260 } })).toThrow(/b has 300 elements; the operand at offset 260 needs 84/);
    });
  });
});

describe('lm_attention: RoPE + grouped-query causal attention on the packed projection', () => {
  const shapes: LmAttentionShape[] = [
    { b: 1, t: 1, nh: 1, nkv: 1, d: 2, theta: 10000 },
    { b: 2, t: 70, nh: 4, nkv: 2, d: 16, theta: 10000 }, // micro: GQA, t past one 64-row tile
    { b: 1, t: 33, nh: 4, nkv: 4, d: 32, theta: 10000 }, // workshop
    { b: 2, t: 19, nh: 6, nkv: 2, d: 64, theta: 500000 }, // desktop-sized heads, 3 query heads per kv head
    { b: 1, t: 9, nh: 2, nkv: 1, d: 128, theta: 10000 }, // the small key tile at d = 128
  ];
  for (const s of shapes) {
    it(`forward and backward match the reference (b=${s.b}, t=${s.t}, heads ${s.nh}/${s.nkv}, d=${s.d})`, async () => {
      const w = (s.nh + 2 * s.nkv) * s.d;
      const n = s.b * s.t;
      const qkv = ra(n * w, s.t + s.d);
      const datt = ra(n * s.nh * s.d, 7);
      await run(async (held) => {
        const rope = rt.upload(lmRopeTable(s.t + 3, s.d, s.theta), 'rope');
        const tq = rt.upload(qkv, 'qkv');
        const att = rt.empty(n * s.nh * s.d, 'att');
        const lse = rt.empty(s.b * s.nh * s.t, 'lse');
        const td = rt.upload(datt, 'datt');
        const dqkv = rt.empty(n * w, 'dqkv');
        const delta = rt.empty(s.b * s.nh * s.t, 'delta');
        held.push(rope, tq, att, lse, td, dqkv, delta);
        encodeLmAttentionForward(rt, tq, rope, att, lse, s);
        encodeLmAttentionBackward(rt, { qkv: tq, rope, att, lse, datt: td, dqkv, delta }, s);
        const [ga, gd] = await rt.read(att, dqkv);
        expect(relError(ga!, lmAttentionForwardCpu(qkv, s))).toBeLessThanOrEqual(1e-4);
        expect(relError(gd!, lmAttentionBackwardCpu(qkv, datt, s))).toBeLessThanOrEqual(1e-3);
      });
    });
  }

  for (const s of [{ b: 3, t: 1, nh: 4, nkv: 2, d: 16, theta: 10000 }, { b: 2, t: 1, nh: 2, nkv: 2, d: 64, theta: 10000 }]) {
    it(`prefill fill + decode steps with per-row lengths match attention over the whole sequence (heads ${s.nh}/${s.nkv}, d=${s.d})`, async () => {
      const w = (s.nh + 2 * s.nkv) * s.d;
      const lens = [5, 1, 3].slice(0, s.b);
      const tp = Math.max(...lens);
      const steps = 4;
      const cacheLen = tp + steps;
      // each row's packed projections for every position it will ever hold
      const seqs = lens.map((_, b) => ra(cacheLen * w, 100 + b));
      const prefill = new Float32Array(s.b * tp * w);
      lens.forEach((len, b) => prefill.set(seqs[b]!.subarray(0, len * w), b * tp * w));
      await run(async (held) => {
        const rope = rt.upload(lmRopeTable(cacheLen, s.d, s.theta), 'rope');
        const layers = 2; // the layer-1 block, to exercise the cache offsets
        const per = s.b * s.nkv * cacheLen * s.d;
        const cache = rt.zeros(layers * 2 * per, 'cache');
        const tl = rt.upload(Uint32Array.from(lens), 'lens');
        const tp0 = rt.upload(prefill, 'prefill');
        held.push(rope, cache, tl, tp0);
        const layout = { len: cacheLen, kOff: 2 * per, vOff: 3 * per };
        // the prefill forward rotates q and k in place; the fill copies the rotated k
        const pa = rt.empty(s.b * tp * s.nh * s.d, 'prefill_att');
        const pl = rt.empty(s.b * s.nh * tp, 'prefill_lse');
        held.push(pa, pl);
        encodeLmAttentionForward(rt, tp0, rope, pa, pl, { ...s, t: tp });
        encodeLmKvFill(rt, { qkv: tp0, rope, cache }, { ...s, t: tp }, layout);
        for (let step = 0; step < steps; step++) {
          const cur = new Float32Array(s.b * w);
          lens.forEach((len, b) => cur.set(seqs[b]!.subarray((len + step) * w, (len + step + 1) * w), b * w));
          const tq = rt.upload(cur, `qkv${step}`);
          const att = rt.empty(s.b * s.nh * s.d, `att${step}`);
          held.push(tq, att);
          encodeLmAttentionDecode(rt, { qkv: tq, rope, lens: tl, cache, att }, s, layout, step, tp + step + 1);
          const [got] = await rt.read(att);
          const want = lmDecodeCpu(cur, seqs, s, lens.map((l) => l + step));
          expect(relError(got!, want), `step ${step}`).toBeLessThanOrEqual(1e-4);
        }
      });
    });
  }
});

describe('lm_norm, lm_mlp: fused norms, residual adds, SwiGLU', () => {
  for (const [rows, d] of [[3, 131], [70, 64], [5, 16]] as const) {
    it(`embedding + norm, add + norm, backward into the residual, dw and embedding scatter (rows=${rows}, d=${d})`, async () => {
      const vocab = 11;
      const eps = 1e-5;
      const flat = ra(7 + vocab * d + d + 5, 3 + d, 0.7, 0.2); // [pad 7 | table | w | pad]
      const tab = 7;
      const wo = 7 + vocab * d;
      const w = flat.subarray(wo, wo + d);
      // repeated ids (several rows per table row), and ids[0] out of the table: the scatter skips it
      const ids = Uint32Array.from({ length: rows + 2 }, (_, i) => (i === 0 ? vocab + 4 : (i * 7 + 3) % vocab));
      const y = ra(rows * d, 4);
      const dn = ra(rows * d, 5);
      const dx0 = ra(rows * d, 6);
      const g0 = ra(flat.length, 8);
      await run(async (held) => {
        const params = rt.upload(flat, 'params');
        const tid = rt.upload(ids, 'ids');
        const x = rt.empty(rows * d, 'x');
        const n = rt.empty(rows * d, 'n');
        const rs = rt.empty(rows, 'rstd');
        const ty = rt.upload(y, 'y');
        const x2 = rt.empty(rows * d, 'x2');
        const n2 = rt.empty(rows * d, 'n2');
        const rs2 = rt.empty(rows, 'rstd2');
        const tdn = rt.upload(dn, 'dn');
        const dx = rt.upload(dx0, 'dx');
        const grads = rt.upload(g0, 'grads');
        held.push(params, tid, x, n, rs, ty, x2, n2, rs2, tdn, dx, grads);
        encodeEmbedNorm(rt, { params, ids: tid, out: x, n, rstd: rs }, { rows, d, eps }, { table: tab, w: wo, vocab, idOff: 2 });
        encodeAddNorm(rt, { params, xIn: x, y: ty, out: x2, n: n2, rstd: rs2 }, { rows, d, eps }, wo);
        encodeNormBackward(rt, { params, x: x2, rstd: rs2, dn: tdn, dx, grads }, { rows, d, eps }, wo, wo);
        // the scatter's rows are this micro-batch's ids (training: ids from the start of the buffer)
        const g = embedScatterCsr(ids.subarray(0, rows), vocab);
        const csr = rt.upload(g.data, 'csr');
        held.push(csr);
        encodeEmbedScatter(rt, { csr, dx: tdn, grads }, { rows, d, vocab, distinct: g.distinct }, tab);
        const [gx, gn, gx2, gn2, gdx, gg] = await rt.read(x, n, x2, n2, dx, grads);
        const xs = new Float32Array(rows * d);
        for (let r = 0; r < rows; r++) xs.set(flat.subarray(tab + ids[r + 2]! * d, tab + ids[r + 2]! * d + d), r * d);
        expect(gx).toEqual(xs);
        expect(relError(gn!, rmsnormForwardCpu(xs, w, rows, d, eps))).toBeLessThanOrEqual(1e-4);
        const xs2 = Float32Array.from(xs, (v, i) => v + y[i]!);
        expect(relError(gx2!, xs2)).toBeLessThanOrEqual(1e-6);
        expect(relError(gn2!, rmsnormForwardCpu(xs2, w, rows, d, eps))).toBeLessThanOrEqual(1e-4);
        const bw = rmsnormBackwardCpu(xs2, w, dn, rows, d, eps);
        expect(relError(gdx!, Float32Array.from(dx0, (v, i) => v + bw.dx[i]!))).toBeLessThanOrEqual(1e-4);
        const wantG = Float32Array.from(g0);
        for (let j = 0; j < d; j++) wantG[wo + j]! += bw.dw[j]!;
        const sc = embeddingScatterAddCpu(dn, ids.subarray(0, rows), vocab, d);
        for (let i = 0; i < sc.length; i++) wantG[tab + i]! += sc[i]!;
        expect(relError(gg!, wantG)).toBeLessThanOrEqual(1e-4);
      });
    });
  }

  it('gather of each prompt\'s last position', async () => {
    const [rows, t, d] = [3, 5, 6];
    const x = ra(rows * t * d, 9);
    const lens = Uint32Array.from([5, 1, 3]);
    await run(async (held) => {
      const tx = rt.upload(x, 'x');
      const tl = rt.upload(lens, 'lens');
      const out = rt.empty(rows * d, 'out');
      held.push(tx, tl, out);
      encodeGatherLast(rt, { x: tx, lens: tl, out }, { rows, t, d });
      const [got] = await rt.read(out);
      const want = new Float32Array(rows * d);
      lens.forEach((len, b) => want.set(x.subarray((b * t + len - 1) * d, (b * t + len) * d), b * d));
      expect(got).toEqual(want);
    });
  });

  it('gather and scatter of the rows that carry a loss', async () => {
    const [total, d] = [9, 7];
    const idx = Uint32Array.from([8, 0, 3, 4]);
    const x = ra(total * d, 30);
    const c = ra(idx.length * d, 31);
    await run(async (held) => {
      const tx = rt.upload(x, 'x');
      const ti = rt.upload(idx, 'idx');
      const g = rt.empty(idx.length * d, 'gathered');
      const sc = rt.zeros(total * d, 'scattered');
      const tc = rt.upload(c, 'compact');
      held.push(tx, ti, g, sc, tc);
      encodeRowIndex(rt, 'gather', { x: tx, idx: ti, out: g }, { rows: idx.length, d, total });
      encodeRowIndex(rt, 'scatter', { x: tc, idx: ti, out: sc }, { rows: idx.length, d, total });
      const [gg, gs] = await rt.read(g, sc);
      const wantG = new Float32Array(idx.length * d);
      const wantS = new Float32Array(total * d);
      idx.forEach((r, m) => {
        wantG.set(x.subarray(r * d, (r + 1) * d), m * d);
        wantS.set(c.subarray(m * d, (m + 1) * d), r * d);
      });
      expect(gg).toEqual(wantG);
      expect(gs).toEqual(wantS);
    });
  });

  for (const [rows, f] of [[1, 1], [13, 176], [7, 352]] as const) {
    it(`packed SwiGLU forward and backward (rows=${rows}, f=${f})`, async () => {
      const gu = ra(rows * 2 * f, 10, 4);
      const dh = ra(rows * f, 11);
      await run(async (held) => {
        const tg = rt.upload(gu, 'gu');
        const h = rt.empty(rows * f, 'h');
        const tdh = rt.upload(dh, 'dh');
        const dgu = rt.empty(rows * 2 * f, 'dgu');
        held.push(tg, h, tdh, dgu);
        encodeSwigluPacked(rt, tg, h, rows, f);
        encodeSwigluPackedBackward(rt, tg, tdh, dgu, rows, f);
        const [gh, gd] = await rt.read(h, dgu);
        expect(relError(gh!, swigluPackedCpu(gu, rows, f))).toBeLessThanOrEqual(1e-4);
        expect(relError(gd!, swigluPackedBackwardCpu(gu, dh, rows, f))).toBeLessThanOrEqual(1e-4);
      });
    });
  }
});

describe('lm_loss: the objective per token and its stats', () => {
  const modes: LmLossMode[] = ['sft', 'grpo', 'dapo', 'paper', 'cispo'];
  for (const [mode, wide] of modes.flatMap((m) => [[m, false], [m, true]] as const)) {
    it(`mode ${mode}, ${wide ? 'a workgroup' : 'one thread'} per row: dlogits, loss, entropy, hits, clip flags, KL, log-probs (v=257, τ=0.7)`, async () => {
      const [n, v, t] = [12, 257, 4];
      const logits = Float32Array.from(ra(n * v, 12, 3), (z, i) => (i % v === Math.floor(i / v) % 5 ? z + 8 : z));
      const targets = Int32Array.from({ length: n }, (_, i) => (i % 5 === 3 ? -1 : (i * 37) % v));
      targets[0] = 0; // a hit: row 0's largest logit sits at column 0
      const weights = Float32Array.from(targets, (tg, i) => (tg >= 0 ? 0.05 + i * 0.01 : 0));
      const adv = ra(n / t, 13, 1.5);
      const old = ra(n, 14, 1, -3);
      const ref = ra(n, 15, 1, -3);
      const c = { n, v, t, mode, epsilon_low: 0.2, epsilon_high: mode === 'cispo' ? 1.5 : 0.28, beta: mode === 'sft' ? 0 : 0.04, temperature: 0.7 };
      const hasOldRef = mode !== 'sft';
      const want = lmLossCpu({ logits, targets, weights, adv, old: hasOldRef ? old : null, ref: hasOldRef ? ref : null }, c);
      await run(async (held) => {
        const tl = rt.upload(logits, 'logits');
        const tt = rt.upload(targets, 'targets');
        const tw = rt.upload(weights, 'weights');
        const ta = rt.upload(adv, 'adv');
        const to = rt.upload(old, 'old');
        const tr = rt.upload(ref, 'ref');
        const stats = rt.empty((n + 3) * 8, 'stats');
        held.push(tl, tt, tw, ta, to, tr, stats);
        encodeLmLoss(rt, { logits: tl, targets: tt, weights: tw, adv: ta, old: hasOldRef ? to : null, ref: hasOldRef ? tr : null, stats }, c, { grad: true, statOff: 3, wide });
        const [gl, gs] = await rt.read(tl, stats);
        expect(relError(gl!, want.dlogits)).toBeLessThanOrEqual(1e-4);
        const got = gs!.subarray(24);
        for (let col = 0; col < 8; col++) {
          const g = Array.from({ length: n }, (_, r) => got[r * 8 + col]!);
          const w = Array.from({ length: n }, (_, r) => want.stats[r * 8 + col]!);
          expect(relError(g, w), `stats column ${col}`).toBeLessThanOrEqual(1e-4);
        }
        if (mode === 'grpo') expect(want.stats.filter((_, i) => i % 8 === 5).some((x) => x > 0)).toBe(true);
        expect(want.stats[2]).toBe(1);
      });
    });
  }

  it('reduce sums the stats columns over many rows', async () => {
    const n = 1000;
    const stats = ra(n * 8, 16);
    await run(async (held) => {
      const ts = rt.upload(stats, 'stats');
      const out = rt.empty(7, 'out');
      held.push(ts, out);
      encodeLmStatsReduce(rt, ts, out, n);
      const [got] = await rt.read(out);
      const want = Array.from({ length: 7 }, (_, c) => stats.reduce((s, x, i) => (i % 8 === c ? s + x : s), 0));
      expect(relError(got!, want)).toBeLessThanOrEqual(1e-4);
    });
  });
});

describe('lm_optim: clip + AdamW over flat buffers', () => {
  for (const maxNorm of [0.5, 0]) {
    it(`one step matches gradNormCpu + adamwCpu, no decay past decay_end (max_norm=${maxNorm})`, async () => {
      const n = 9001;
      const [p, g, m, v] = [ra(n, 17), ra(n, 18, 0.02), ra(n, 19, 0.01), ra(n, 20, 0.0001, 0.0001)];
      const c = { lr: 1e-2, beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: 0.1, step: 3, decay_end: 8000, max_norm: maxNorm };
      await run(async (held) => {
        const t = { grads: rt.upload(g, 'g'), params: rt.upload(p, 'p'), m: rt.upload(m, 'm'), v: rt.upload(v, 'v'), loss: rt.upload(Float32Array.of(1.5), 'loss'), partials: rt.empty(lmPartials(n), 'partials'), result: rt.empty(3, 'result') };
        held.push(...Object.values(t));
        encodeLmOptimizerStep(rt, t, n, c);
        const [res, gp, gm, gv] = await rt.read(t.result, t.params, t.m, t.v);
        const gn = gradNormCpu([g], maxNorm);
        const coef = maxNorm > 0 ? gn.coef : 1;
        expect(relError([res![0]!, res![1]!, res![2]!], [gn.norm, coef, 1])).toBeLessThanOrEqual(1e-4);
        const a = adamwCpu(p.subarray(0, 8000), g.subarray(0, 8000), m.subarray(0, 8000), v.subarray(0, 8000), c, coef);
        const b = adamwCpu(p.subarray(8000), g.subarray(8000), m.subarray(8000), v.subarray(8000), { ...c, weight_decay: 0 }, coef);
        const cat = (x: Float32Array, y: Float32Array) => Float32Array.from([...x, ...y]);
        expect(relError(gp!, cat(a.param, b.param))).toBeLessThanOrEqual(1e-4);
        expect(relError(gm!, cat(a.m, b.m))).toBeLessThanOrEqual(1e-4);
        expect(relError(gv!, cat(a.v, b.v))).toBeLessThanOrEqual(1e-4);
      });
    });
  }

  for (const [what, g, loss] of [['a NaN gradient', Float32Array.of(1, Number.NaN, 2), 1], ['an infinite loss', Float32Array.of(1, 3, 2), Number.POSITIVE_INFINITY]] as const) {
    it(`${what} skips the update: ok = 0, weights and moments untouched`, async () => {
      const p = Float32Array.of(0.5, -0.25, 2);
      await run(async (held) => {
        const t = { grads: rt.upload(g, 'g'), params: rt.upload(p, 'p'), m: rt.upload(p, 'm'), v: rt.upload(p, 'v'), loss: rt.upload(Float32Array.of(loss), 'loss'), partials: rt.empty(1, 'partials'), result: rt.empty(3, 'result') };
        held.push(...Object.values(t));
        encodeLmOptimizerStep(rt, t, 3, { lr: 1e-2, beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: 0.1, step: 1, decay_end: 3, max_norm: 1 });
        const [res, gp, gm] = await rt.read(t.result, t.params, t.m);
        expect(res![2]).toBe(0);
        expect(gp).toEqual(p);
        expect(gm).toEqual(p);
      });
    });
  }
});
