/**
 * The kernel harness CLI end to end: each op's WGSL kernel run by `tsx src/cli/kernel.ts` on
 * WebGPU in Node (Dawn on SwiftShader here), on shapes that are not multiples of any tile,
 * compared with the CPU references; and bad input rejected with a message naming the field.
 * Tolerances (relative to the largest reference magnitude): 1e-4, and 1e-3 for attention gradients.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runOpCpu } from '../gpu/harness/ops';
import { sampleCpu } from '../gpu/kernels/sample-cpu';
import { randomArray, relError } from '../gpu/kernels/testing';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const tsx = resolve(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'kernel-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const r = (n: number, seed: number, scale = 1, offset = 0) => Array.from(randomArray(n, seed, scale, offset));

async function kernel(op: string, input: unknown, extra: string[] = []) {
  const inPath = join(dir, `${op}-${Math.random().toString(36).slice(2)}.json`);
  const outPath = inPath.replace('.json', '.out.json');
  writeFileSync(inPath, JSON.stringify(input));
  try {
    await run(tsx, [resolve(root, 'src/cli/kernel.ts'), op, inPath, outPath, ...extra], { cwd: root });
    return { code: 0, out: JSON.parse(readFileSync(outPath, 'utf8')) as Record<string, number | number[]>, stderr: '', wrote: true };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, out: {}, stderr: err.stderr, wrote: existsSync(outPath) };
  }
}

async function expectMatches(op: string, input: unknown, tol: Record<string, number>) {
  const { code, out, stderr } = await kernel(op, input);
  // (stderr may carry driver chatter, e.g. SwiftShader's XDG_RUNTIME_DIR notice, so only the status counts)
  expect(code, stderr).toBe(0);
  const want = runOpCpu(op, input);
  expect(Object.keys(out).sort()).toEqual(Object.keys(want).sort());
  for (const [k, w] of Object.entries(want)) {
    const err = relError([out[k]!].flat(), [w].flat());
    expect(err, `${op}.${k} relative error`).toBeLessThanOrEqual(tol[k] ?? 1e-4);
  }
}

describe('npm run kernel (Node, Dawn)', () => {
  for (const [m, k, n, transA, transB] of [[1, 1, 1, false, false], [17, 65, 33, false, true], [127, 255, 1, true, false], [3, 70, 5, true, true]] as const) {
    it(`matmul ${m}×${k}·${k}×${n}${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''}`, () =>
      expectMatches('matmul', { a: r(m * k, 1), b: r(k * n, 2), m, k, n, transA, transB }, {}));
  }

  for (const [b, h, t, d, causal] of [[1, 1, 1, 1, true], [2, 3, 67, 5, true], [1, 2, 33, 16, false]] as const) {
    it(`attention forward+backward b=${b} h=${h} t=${t} d=${d}${causal ? ' causal' : ''}`, () => {
      const len = b * h * t * d;
      return expectMatches('attention', { q: r(len, 3), k: r(len, 4), v: r(len, 5), dout: r(len, 6), b, h, t, d, causal }, { o: 1e-4, dq: 1e-3, dk: 1e-3, dv: 1e-3 });
    });
  }

  it('rmsnorm forward+backward n=5 d=67', () => expectMatches('rmsnorm', { x: r(335, 7), w: r(67, 8, 0.5, 1), dy: r(335, 9), n: 5, d: 67, eps: 1e-6 }, {}));

  it('cross_entropy n=7 v=301 with an ignored row', () =>
    expectMatches('cross_entropy', { logits: r(7 * 301, 10, 4), targets: [0, 300, 5, -1, 17, 150, 299], n: 7, v: 301 }, {}));

  it('adamw n=77 step=5', () =>
    expectMatches('adamw', { param: r(77, 11), grad: r(77, 12), m: r(77, 13, 0.1), v: r(77, 14, 0.01, 0.01), lr: 3e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: 0.1, step: 5 }, {}));

  for (const scale_rewards of ['group', 'batch', 'none'] as const) {
    it(`grpo_advantage scale_rewards=${scale_rewards}, 3 groups of 5 (one all-equal)`, () =>
      expectMatches('grpo_advantage', { rewards: [1, 0, 0, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 2, 0, 1, 0, 0], group_size: 5, scale_rewards }, {}));
  }

  for (const loss_type of ['grpo', 'dr_grpo', 'dapo', 'paper'] as const) {
    it(`grpo_loss loss_type=${loss_type} n=6 t=19`, () => {
      const nt = 6 * 19;
      const mask = r(nt, 15).map((x) => (x > -0.5 ? 1 : 0));
      return expectMatches(
        'grpo_loss',
        { logp: r(nt, 16, 0.5, -2), old_logp: r(nt, 17, 0.3, -2), ref_logp: r(nt, 18, 0.5, -2), advantages: r(6, 19, 1.5), mask, n: 6, t: 19, epsilon_low: 0.2, epsilon_high: 0.28, beta: 0.04, loss_type, max_completion_length: 24 },
        { loss: 1e-4, dlogp: 1e-4 },
      );
    });
  }

  it('sample n=13 v=129 with temperature and top-p draws the reference tokens', async () => {
    const [n, v] = [13, 129];
    const logits = r(n * v, 20, 4);
    const u = r(n, 21, 0.5, 0.5);
    const { code, out, stderr } = await kernel('sample', { logits, u, n, v, temperature: 0.8, top_p: 0.9 });
    expect(code, stderr).toBe(0);
    let compared = 0;
    for (let row = 0; row < n; row++) {
      const want = sampleCpu(logits, row, v, 0.8, 0.9, u[row]!);
      if (want.margin < 1e-5) continue; // within float32 rounding of a bin edge: either neighbour is right
      expect((out.ids as number[])[row]).toBe(want.id);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(11);
  });

  it('rejects wrong lengths, NaN and unknown ops with the field named, writing nothing', async () => {
    const short = await kernel('matmul', { a: [1, 2, 3], b: [1, 2], m: 2, k: 2, n: 1 });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/matmul: field "a" has 3 elements, expected 4 \(m·k = 2·2\)/);
    expect(short.wrote).toBe(false);
    const nan = await kernel('rmsnorm', { x: [1, null], w: [1, 1], n: 1, d: 2, eps: 1e-5 });
    expect(nan.code).toBe(2);
    expect(nan.stderr).toMatch(/rmsnorm: field "x" element 1 is null, not a finite number/);
    const unknown = await kernel('conv2d', {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown op "conv2d" \(ops: matmul, attention/);
    const lossType = await kernel('grpo_loss', { loss_type: 'ppo', n: 1, t: 1 });
    expect(lossType.stderr).toMatch(/field "loss_type" must be one of "grpo", "dr_grpo", "dapo", "paper", "bnpo", "cispo", got "ppo"/);
    const group = await kernel('grpo_advantage', { rewards: [1, 0, 1], group_size: 2 });
    expect(group.stderr).toMatch(/field "rewards" has 3 elements, expected a positive multiple of group_size = 2/);
  });
});
