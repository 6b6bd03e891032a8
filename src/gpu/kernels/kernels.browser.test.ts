/**
 * Every WGSL kernel against its CPU reference in headless Chromium (SwiftShader in CI),
 * on shapes that are not multiples of any tile or workgroup. Tolerances are relative to
 * the largest reference magnitude: 1e-4 (float32 accumulation over ≤ a few hundred terms),
 * 1e-3 for attention gradients (longer sums of products of exponentials).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu } from '../device';
import { GpuRuntime } from '../runtime';
import { viteShaderSource } from '../shaders-vite';
import { adamwGpu } from './adamw';
import { adamwCpu } from './adamw-cpu';
import { attentionGpu } from './attention';
import { attentionBackwardCpu, attentionForwardCpu } from './attention-cpu';
import { embeddingGpu } from './embedding';
import { embeddingGatherCpu, embeddingScatterAddCpu, gradNormCpu, ropeCpu, swigluBackwardCpu, swigluForwardCpu } from './elementwise-cpu';
import { clipGradNormGpu } from './gradnorm';
import { grpoAdvantagesGpu, grpoLossGpu } from './grpo';
import { grpoAdvantagesCpu, grpoLossCpu, LOSS_TYPES, SCALE_REWARDS } from './grpo-cpu';
import { crossEntropyGpu, tokenLogprobsGpu } from './logsoftmax';
import { crossEntropyCpu, tokenLogprobsCpu } from './logsoftmax-cpu';
import { matmulGpu } from './matmul';
import { matmulCpu } from './matmul-cpu';
import { rmsnormGpu } from './rmsnorm';
import { rmsnormBackwardCpu, rmsnormForwardCpu } from './rmsnorm-cpu';
import { ropeGpu } from './rope';
import { sampleGpu } from './sample';
import { sampleCpu } from './sample-cpu';
import { swigluGpu } from './swiglu';
import { randomArray as ra, relError } from './testing';

let rt: GpuRuntime;
beforeAll(async () => {
  const ctx = await acquireGpu(navigator.gpu);
  rt = new GpuRuntime(ctx.device, viteShaderSource);
});
afterAll(() => rt?.device.destroy());

describe('WGSL kernels match their CPU references', () => {
  it('matmul on awkward, transposed and batched shapes', async () => {
    for (const [m, k, n, transA, transB, batch] of [[1, 1, 1, false, false, 1], [17, 65, 33, false, false, 1], [127, 255, 1, false, true, 1], [9, 7, 70, true, true, 3], [65, 16, 64, true, false, 2]] as const) {
      const a = ra(batch * m * k, m + k);
      const b = ra(batch * k * n, n + 3);
      const s = { m, n, k, transA, transB, batch };
      expect(relError(await matmulGpu(rt, a, b, s), matmulCpu(a, b, s)), JSON.stringify(s)).toBeLessThanOrEqual(1e-4);
    }
  });

  it('attention forward and backward, causal and not, t not a multiple of the tile', async () => {
    for (const s of [{ b: 1, h: 1, t: 1, d: 1, causal: true }, { b: 2, h: 2, t: 70, d: 8, causal: true }, { b: 1, h: 3, t: 19, d: 5, causal: false }]) {
      await checkAttention(s);
    }
  });

  // the key tile BC shrinks with d (two BC×d tiles in 32 KB of workgroup memory: BC = 64 at d ≤ 63,
  // 63 at d = 64, 31 at d = 128), so real head dims take tile paths the small shapes above never reach;
  // t = 70 / 40 span 2–3 key tiles at every one of these d
  for (const d of [32, 64, 128]) {
    it(`attention at head_dim ${d}: t spans several key tiles, causal and not`, async () => {
      await checkAttention({ b: 1, h: 2, t: 70, d, causal: true });
      await checkAttention({ b: 1, h: 1, t: 40, d, causal: false });
    });
  }

  async function checkAttention(s: { b: number; h: number; t: number; d: number; causal: boolean }) {
    {
      const n = s.b * s.h * s.t * s.d;
      const [q, k, v, dy] = [ra(n, 1), ra(n, 2), ra(n, 3), ra(n, 4)];
      const got = await attentionGpu(rt, q, k, v, s, dy);
      const want = attentionBackwardCpu(q, k, v, dy, s);
      expect(relError(got.o, attentionForwardCpu(q, k, v, s)), JSON.stringify(s)).toBeLessThanOrEqual(1e-4);
      expect(relError(got.dq!, want.dq), JSON.stringify(s)).toBeLessThanOrEqual(1e-3);
      expect(relError(got.dk!, want.dk), JSON.stringify(s)).toBeLessThanOrEqual(1e-3);
      expect(relError(got.dv!, want.dv), JSON.stringify(s)).toBeLessThanOrEqual(1e-3);
    }
  }

  it('rmsnorm forward and backward (d > workgroup, d < workgroup)', async () => {
    for (const [n, d] of [[3, 131], [70, 5]] as const) {
      const [x, w, dy] = [ra(n * d, 5), ra(d, 6, 0.5, 1), ra(n * d, 7)];
      const got = await rmsnormGpu(rt, x, w, { n, d, eps: 1e-5 }, dy);
      const want = rmsnormBackwardCpu(x, w, dy, n, d, 1e-5);
      expect(relError(got.y, rmsnormForwardCpu(x, w, n, d, 1e-5))).toBeLessThanOrEqual(1e-4);
      expect(relError(got.dx!, want.dx)).toBeLessThanOrEqual(1e-4);
      expect(relError(got.dw!, want.dw)).toBeLessThanOrEqual(1e-4);
    }
  });

  it('token log-probs and cross-entropy (a row without target is ignored)', async () => {
    const [n, v] = [9, 257];
    const logits = ra(n * v, 8, 5);
    const targets = Int32Array.from([0, 256, 3, -1, 100, 7, 7, 255, 1]);
    expect(relError(await tokenLogprobsGpu(rt, logits, targets, { n, v }), tokenLogprobsCpu(logits, targets, n, v))).toBeLessThanOrEqual(1e-4);
    const got = await crossEntropyGpu(rt, logits, targets, { n, v });
    const want = crossEntropyCpu(logits, targets, n, v);
    expect(relError([got.loss], [want.loss])).toBeLessThanOrEqual(1e-4);
    expect(relError(got.dlogits, want.dlogits)).toBeLessThanOrEqual(1e-4);
  });

  it('swiglu forward and backward', async () => {
    const [g, u, dh] = [ra(131, 9, 4), ra(131, 10), ra(131, 11)];
    const got = await swigluGpu(rt, g, u, dh);
    const want = swigluBackwardCpu(g, u, dh);
    expect(relError(got.h, swigluForwardCpu(g, u))).toBeLessThanOrEqual(1e-4);
    expect(relError(got.dg!, want.dg)).toBeLessThanOrEqual(1e-4);
    expect(relError(got.du!, want.du)).toBeLessThanOrEqual(1e-4);
  });

  it('rope forward and backward with a position offset', async () => {
    const s = { rows: 3, t: 13, d: 10, offset: 5 };
    const x = ra(3 * 13 * 10, 12);
    // angles reach 17 rad; float32 sin/cos of those are good to ~1e-6 absolute
    expect(relError(await ropeGpu(rt, x, s), ropeCpu(x, s))).toBeLessThanOrEqual(1e-4);
    expect(relError(await ropeGpu(rt, x, s, -1), ropeCpu(x, s, -1))).toBeLessThanOrEqual(1e-4);
  });

  it('embedding gather and scatter-add with repeated ids', async () => {
    const ids = Uint32Array.from([4, 0, 4, 4, 2, 6, 0]);
    const table = ra(7 * 5, 13);
    const dout = ra(7 * 5, 14);
    const got = await embeddingGpu(rt, table, ids, { n: 7, d: 5, vocab: 7 }, dout);
    expect(relError(got.out, embeddingGatherCpu(table, ids, 5))).toBe(0);
    expect(relError(got.dtable!, embeddingScatterAddCpu(dout, ids, 7, 5))).toBeLessThanOrEqual(1e-6);
    await expect(embeddingGpu(rt, table, Uint32Array.from([7]), { n: 1, d: 5, vocab: 7 })).rejects.toThrow(/ids\[0\] = 7 is outside the vocabulary of 7/);
  });

  it('global grad-norm clipping across tensors of odd sizes', async () => {
    const grads = [ra(5000, 15), ra(3, 16), ra(4097, 17)];
    const want = gradNormCpu(grads, 1.0);
    const got = await clipGradNormGpu(rt, grads, 1.0);
    expect(relError([got.norm, got.coef], [want.norm, want.coef])).toBeLessThanOrEqual(1e-4);
    expect(relError(got.grads[1]!, Float32Array.from(grads[1]!, (g) => g * want.coef))).toBeLessThanOrEqual(1e-4);
  });

  it('adamw step', async () => {
    const [p, g, m, v] = [ra(131, 18), ra(131, 19), ra(131, 20, 0.1), ra(131, 21, 0.01, 0.01)];
    const c = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01, step: 7 };
    const got = await adamwGpu(rt, p, g, m, v, c);
    const want = adamwCpu(p, g, m, v, c);
    for (const k of ['param', 'm', 'v'] as const) expect(relError(got[k], want[k]), k).toBeLessThanOrEqual(1e-4);
  });

  it('sampling with temperature and top-p draws the reference token for the same uniform numbers', async () => {
    const [n, v] = [40, 300];
    // peaked rows (a few likely tokens) so the nucleus is small and top-p matters
    const logits = Float32Array.from(ra(n * v, 27, 3), (x, i) => (i % v < 5 ? x + 6 : x));
    const u = Float32Array.from(ra(n, 28), (x) => (x + 1) / 2);
    let compared = 0;
    for (const [temperature, top_p, wide] of [[1, 1, false], [0.7, 0.9, false], [1.3, 0.5, false], [0, 1, false], [0.7, 0.9, true], [0, 1, true]] as const) {
      const ids = await sampleGpu(rt, logits, u, { n, v, temperature, top_p, wide });
      for (let row = 0; row < n; row++) {
        const want = sampleCpu(logits, row, v, temperature, top_p, u[row]!);
        if (want.margin < 1e-5) continue; // u·mass within float32 rounding of a bin edge: either side is right
        expect(ids[row], `row ${row} T=${temperature} top_p=${top_p}${wide ? ' (workgroup per row)' : ''}`).toBe(want.id);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(220);
    await expect(sampleGpu(rt, logits, u, { n, v, temperature: 1, top_p: 0 })).rejects.toThrow(/top_p must be in \(0, 1\], got 0/);
  });

  it('grpo advantages for every scale_rewards', async () => {
    const rewards = Float32Array.from([1, 0, 0, 1, 0, 1, 1, 1, 0.5, 0.5, 0.5, 0.5]);
    for (const s of SCALE_REWARDS) expect(relError(await grpoAdvantagesGpu(rt, rewards, 4, s), grpoAdvantagesCpu(rewards, 4, s)), s).toBeLessThanOrEqual(1e-4);
  });

  // more groups than threads, groups of 2 and 3: every advantage is written by another invocation
  // than the one that once divided it by the batch std (the old kernel's unsynchronised storage read;
  // SwiftShader runs a workgroup's invocations in lockstep batches, so the race never showed here —
  // the kernel now reduces the batch std first and each group's owner writes its final values)
  it('grpo advantages, scale_rewards="batch", 4,098 rewards in groups of 2 and 3', async () => {
    for (const g of [2, 3]) {
      const rewards = Float32Array.from(ra(2049 * g, 40 + g), (x) => Math.round(x * 2) / 2);
      expect(relError(await grpoAdvantagesGpu(rt, rewards, g, 'batch'), grpoAdvantagesCpu(rewards, g, 'batch')), `group ${g}`).toBeLessThanOrEqual(1e-4);
    }
  });

  it('grpo loss and dlogp for every loss_type', async () => {
    const [n, t] = [5, 23];
    const x = {
      logp: ra(n * t, 22, 0.5, -2),
      old_logp: ra(n * t, 23, 0.3, -2),
      ref_logp: ra(n * t, 24, 0.5, -2),
      advantages: ra(n, 25, 1.5),
      mask: Float32Array.from(ra(n * t, 26), (m) => (m > -0.4 ? 1 : 0)),
    };
    for (const loss_type of LOSS_TYPES) {
      const c = { n, t, epsilon_low: 0.2, epsilon_high: 0.28, beta: 0.04, loss_type, max_completion_length: 32 };
      const got = await grpoLossGpu(rt, x, c);
      const want = grpoLossCpu(x, c);
      expect(relError([got.loss], [want.loss]), loss_type).toBeLessThanOrEqual(1e-4);
      expect(relError(got.dlogp, want.dlogp), loss_type).toBeLessThanOrEqual(1e-4);
    }
    // dapo / cispo normalised by the whole step's token count (num_items_in_batch)
    for (const loss_type of ['dapo', 'cispo'] as const) {
      const c = { n, t, epsilon_low: 0.2, epsilon_high: loss_type === 'cispo' ? 1.5 : 0.28, beta: 0.04, loss_type, max_completion_length: 32, num_items_in_batch: 301 };
      const got = await grpoLossGpu(rt, x, c);
      expect(relError(got.dlogp, grpoLossCpu(x, c).dlogp), `${loss_type} num_items_in_batch`).toBeLessThanOrEqual(1e-4);
    }
  });
});
