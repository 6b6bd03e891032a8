/**
 * The CPU references' backward passes against finite differences of their forward passes
 * (float64 inputs). The GPU kernels are then checked against these references, so a
 * wrong gradient formula cannot hide behind a GPU kernel that matches it.
 */
import { describe, expect, it } from 'vitest';
import { attentionBackwardCpu, attentionForwardCpu } from './attention-cpu';
import { embeddingGatherCpu, embeddingScatterAddCpu, ropeCpu, swigluBackwardCpu, swigluForwardCpu } from './elementwise-cpu';
import { grpoLossCpu, LOSS_TYPES } from './grpo-cpu';
import { crossEntropyCpu, tokenLogprobsBackwardCpu, tokenLogprobsCpu } from './logsoftmax-cpu';
import { rmsnormBackwardCpu, rmsnormForwardCpu } from './rmsnorm-cpu';
import { dot, fdCheck, randomArray } from './testing';

const f64 = (a: ArrayLike<number>) => Float64Array.from(a);

describe('finite-difference gradient checks of the CPU references', () => {
  for (const causal of [true, false]) {
    it(`attention backward (b=1,h=2,t=5,d=3, causal=${causal})`, () => {
      const s = { b: 1, h: 2, t: 5, d: 3, causal };
      const n = 30;
      const q = f64(randomArray(n, 1));
      const k = f64(randomArray(n, 2));
      const v = f64(randomArray(n, 3));
      const dy = randomArray(n, 4);
      const g = attentionBackwardCpu(q, k, v, dy, s);
      expect(fdCheck(q, (x) => dot(dy, attentionForwardCpu(x, k, v, s)), g.dq, { count: 30 }).worst).toBeLessThanOrEqual(0);
      expect(fdCheck(k, (x) => dot(dy, attentionForwardCpu(q, x, v, s)), g.dk, { count: 30 }).worst).toBeLessThanOrEqual(0);
      expect(fdCheck(v, (x) => dot(dy, attentionForwardCpu(q, k, x, s)), g.dv, { count: 30 }).worst).toBeLessThanOrEqual(0);
    });
  }

  it('rmsnorm backward (n=3, d=7)', () => {
    const [n, d, eps] = [3, 7, 1e-5];
    const x = f64(randomArray(n * d, 5));
    const w = f64(randomArray(d, 6, 1, 1));
    const dy = randomArray(n * d, 7);
    const g = rmsnormBackwardCpu(x, w, dy, n, d, eps);
    expect(fdCheck(x, (xx) => dot(dy, rmsnormForwardCpu(xx, w, n, d, eps)), g.dx, { count: 21 }).worst).toBeLessThanOrEqual(0);
    expect(fdCheck(w, (ww) => dot(dy, rmsnormForwardCpu(x, ww, n, d, eps)), g.dw, { count: 7 }).worst).toBeLessThanOrEqual(0);
  });

  it('swiglu backward', () => {
    const g = f64(randomArray(11, 8, 3));
    const u = f64(randomArray(11, 9, 2));
    const dh = randomArray(11, 10);
    const b = swigluBackwardCpu(g, u, dh);
    expect(fdCheck(g, (x) => dot(dh, swigluForwardCpu(x, u)), b.dg).worst).toBeLessThanOrEqual(0);
    expect(fdCheck(u, (x) => dot(dh, swigluForwardCpu(g, x)), b.du).worst).toBeLessThanOrEqual(0);
  });

  it('rope backward is the inverse rotation', () => {
    const s = { rows: 2, t: 3, d: 6, offset: 4 };
    const x = f64(randomArray(36, 11));
    const dy = randomArray(36, 12);
    expect(fdCheck(x, (xx) => dot(dy, ropeCpu(xx, s)), ropeCpu(dy, s, -1), { count: 36 }).worst).toBeLessThanOrEqual(0);
  });

  it('embedding scatter-add is the gradient of gather (repeated ids accumulate)', () => {
    const ids = [3, 1, 3, 0, 3];
    const table = f64(randomArray(5 * 4, 13));
    const dy = randomArray(ids.length * 4, 14);
    expect(fdCheck(table, (t) => dot(dy, embeddingGatherCpu(t, ids, 4)), embeddingScatterAddCpu(dy, ids, 5, 4), { count: 20 }).worst).toBeLessThanOrEqual(0);
  });

  it('token log-prob and cross-entropy gradients (one row without a target)', () => {
    const [n, v] = [4, 9];
    const logits = f64(randomArray(n * v, 15, 3));
    const targets = [2, 8, -1, 0];
    const dl = randomArray(n, 16);
    const g = tokenLogprobsBackwardCpu(logits, targets, dl, n, v);
    expect(fdCheck(logits, (x) => dot(dl, tokenLogprobsCpu(x, targets, n, v)), g, { count: 36 }).worst).toBeLessThanOrEqual(0);
    const ce = crossEntropyCpu(logits, targets, n, v);
    expect(fdCheck(logits, (x) => crossEntropyCpu(x, targets, n, v).loss, ce.dlogits, { count: 36 }).worst).toBeLessThanOrEqual(0);
  });

  for (const loss_type of LOSS_TYPES) {
    it(`grpo loss gradient, loss_type=${loss_type}`, () => {
      const [n, t] = [3, 5];
      // old_logp near logp so some ratios fall inside the clip range and some outside
      const logp = f64(randomArray(n * t, 17, 0.5, -1.5));
      const old = randomArray(n * t, 18, 0.3, -1.5);
      const ref = randomArray(n * t, 19, 0.5, -1.5);
      const adv = randomArray(n, 20, 1.5);
      const mask = Float32Array.from(randomArray(n * t, 21), (x) => (x > -0.6 ? 1 : 0));
      // cispo's weight min(ρ, ε_high) is detached (not differentiated): with ε_high = 0.28 below every ρ
      // here (|logp − old| < 0.8) it is the constant 0.28, where the detached gradient is the true one
      const c = { n, t, epsilon_low: 0.2, epsilon_high: 0.28, beta: 0.04, loss_type, max_completion_length: 8 };
      const g = grpoLossCpu({ logp, old_logp: old, ref_logp: ref, advantages: adv, mask }, c);
      const r = fdCheck(logp, (x) => grpoLossCpu({ logp: x, old_logp: old, ref_logp: ref, advantages: adv, mask }, c).loss, g.dlogp, { count: 15, h: 1e-6, atol: 1e-7, rtol: 1e-4 });
      expect(r.worst).toBeLessThanOrEqual(0);
    });
  }
});
