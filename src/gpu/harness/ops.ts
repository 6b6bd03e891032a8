/**
 * The kernel harness ops (`npm run kernel -- OP IN.json OUT.json`): each op reads and
 * validates its JSON fields, runs its WGSL kernels on a GpuRuntime, and has the CPU
 * reference beside it, so the CLI, the tests and the benchmarks share one definition.
 */
import type { GpuRuntime } from '../runtime';
import { adamwGpu } from '../kernels/adamw';
import { adamwCpu, type AdamwConfig } from '../kernels/adamw-cpu';
import { attentionGpu } from '../kernels/attention';
import { attentionBackwardCpu, attentionForwardCpu, type AttentionShape } from '../kernels/attention-cpu';
import { grpoAdvantagesGpu, grpoLossGpu } from '../kernels/grpo';
import { grpoAdvantagesCpu, grpoLossCpu, LOSS_TYPES, SCALE_REWARDS, type GrpoLossConfig } from '../kernels/grpo-cpu';
import { crossEntropyGpu } from '../kernels/logsoftmax';
import { crossEntropyCpu } from '../kernels/logsoftmax-cpu';
import { matmulGpu } from '../kernels/matmul';
import { matmulCpu, type MatmulShape } from '../kernels/matmul-cpu';
import { rmsnormGpu } from '../kernels/rmsnorm';
import { rmsnormBackwardCpu, rmsnormForwardCpu } from '../kernels/rmsnorm-cpu';
import { sampleGpu, type SampleConfig } from '../kernels/sample';
import { sampleCpu } from '../kernels/sample-cpu';
import { Fields, HarnessInputError, type Json } from './fields';

export type Outputs = Record<string, number[] | number>;

interface Op<P> {
  parse(f: Fields): P;
  gpu(rt: GpuRuntime, p: P): Promise<Outputs>;
  cpu(p: P): Outputs;
}

const list = (x: ArrayLike<number>) => Array.from(x);

const matmul: Op<{ a: Float32Array; b: Float32Array; s: MatmulShape }> = {
  parse(f) {
    const s = { m: f.int('m'), k: f.int('k'), n: f.int('n'), transA: f.bool('transA', false), transB: f.bool('transB', false) };
    return { s, a: f.floats('a', s.m * s.k, `m·k = ${s.m}·${s.k}`), b: f.floats('b', s.k * s.n, `k·n = ${s.k}·${s.n}`) };
  },
  gpu: async (rt, p) => ({ c: list(await matmulGpu(rt, p.a, p.b, p.s)) }),
  cpu: (p) => ({ c: list(matmulCpu(p.a, p.b, p.s)) }),
};

const attention: Op<{ q: Float32Array; k: Float32Array; v: Float32Array; dout?: Float32Array; s: AttentionShape }> = {
  parse(f) {
    const s = { b: f.int('b'), h: f.int('h'), t: f.int('t'), d: f.int('d'), causal: f.bool('causal') };
    if (s.d > 256) throw new HarnessInputError(`attention: field "d" must be ≤ 256, got ${s.d}`);
    const n = s.b * s.h * s.t * s.d;
    const why = `b·h·t·d = ${s.b}·${s.h}·${s.t}·${s.d}`;
    return { s, q: f.floats('q', n, why), k: f.floats('k', n, why), v: f.floats('v', n, why), ...(f.has('dout') ? { dout: f.floats('dout', n, why) } : {}) };
  },
  async gpu(rt, p): Promise<Outputs> {
    const r: Record<string, Float32Array | undefined> = await attentionGpu(rt, p.q, p.k, p.v, p.s, p.dout);
    return Object.fromEntries(Object.entries(r).flatMap(([k, v]) => (v ? [[k, list(v)]] : [])));
  },
  cpu(p): Outputs {
    const o = list(attentionForwardCpu(p.q, p.k, p.v, p.s));
    if (!p.dout) return { o };
    const g = attentionBackwardCpu(p.q, p.k, p.v, p.dout, p.s);
    return { o, dq: list(g.dq), dk: list(g.dk), dv: list(g.dv) };
  },
};

const rmsnorm: Op<{ x: Float32Array; w: Float32Array; dy?: Float32Array; n: number; d: number; eps: number }> = {
  parse(f) {
    const n = f.int('n');
    const d = f.int('d');
    const why = `n·d = ${n}·${d}`;
    return { n, d, eps: f.num('eps', { min: 0 }), x: f.floats('x', n * d, why), w: f.floats('w', d, `d = ${d}`), ...(f.has('dy') ? { dy: f.floats('dy', n * d, why) } : {}) };
  },
  async gpu(rt, p): Promise<Outputs> {
    const r: Record<string, Float32Array | undefined> = await rmsnormGpu(rt, p.x, p.w, p, p.dy);
    return Object.fromEntries(Object.entries(r).flatMap(([k, v]) => (v ? [[k, list(v)]] : [])));
  },
  cpu(p): Outputs {
    const y = list(rmsnormForwardCpu(p.x, p.w, p.n, p.d, p.eps));
    if (!p.dy) return { y };
    const g = rmsnormBackwardCpu(p.x, p.w, p.dy, p.n, p.d, p.eps);
    return { y, dx: list(g.dx), dw: list(g.dw) };
  },
};

const crossEntropy: Op<{ logits: Float32Array; targets: Int32Array; n: number; v: number }> = {
  parse(f) {
    const n = f.int('n');
    const v = f.int('v');
    // −1 marks a row without a target (ignored, like torch's ignore_index)
    return { n, v, logits: f.floats('logits', n * v, `n·v = ${n}·${v}`), targets: f.ints('targets', n, `n = ${n}`, -1, v - 1) };
  },
  async gpu(rt, p) {
    const r = await crossEntropyGpu(rt, p.logits, p.targets, p);
    return { loss: r.loss, dlogits: list(r.dlogits) };
  },
  cpu(p) {
    const r = crossEntropyCpu(p.logits, p.targets, p.n, p.v);
    return { loss: r.loss, dlogits: list(r.dlogits) };
  },
};

const adamw: Op<{ param: Float32Array; grad: Float32Array; m: Float32Array; v: Float32Array; c: AdamwConfig }> = {
  parse(f) {
    const c: AdamwConfig = {
      lr: f.num('lr', { min: 0 }),
      beta1: f.num('beta1', { min: 0, max: 0.999999 }),
      beta2: f.num('beta2', { min: 0, max: 0.999999 }),
      eps: f.num('eps', { min: 0 }),
      weight_decay: f.num('weight_decay', { min: 0 }),
      step: f.int('step', 1),
    };
    const param = f.floats('param', f.length('param'), 'any length');
    const why = `same as param = ${param.length}`;
    return { c, param, grad: f.floats('grad', param.length, why), m: f.floats('m', param.length, why), v: f.floats('v', param.length, why) };
  },
  async gpu(rt, p) {
    const r = await adamwGpu(rt, p.param, p.grad, p.m, p.v, p.c);
    return { param: list(r.param), m: list(r.m), v: list(r.v) };
  },
  cpu(p) {
    const r = adamwCpu(p.param, p.grad, p.m, p.v, p.c);
    return { param: list(r.param), m: list(r.m), v: list(r.v) };
  },
};

const grpoAdvantage: Op<{ rewards: Float32Array; group_size: number; scale_rewards: (typeof SCALE_REWARDS)[number] }> = {
  parse(f) {
    const group_size = f.int('group_size');
    const scale_rewards = f.choice('scale_rewards', SCALE_REWARDS, 'group');
    const n = f.length('rewards');
    if (n === 0 || n % group_size !== 0) throw new HarnessInputError(`grpo_advantage: field "rewards" has ${n} elements, expected a positive multiple of group_size = ${group_size}`);
    if (scale_rewards === 'group' && group_size < 2) throw new HarnessInputError('grpo_advantage: field "group_size" must be ≥ 2 with scale_rewards "group" (the sample std of one reward is undefined)');
    if (scale_rewards === 'batch' && n < 2) throw new HarnessInputError('grpo_advantage: field "rewards" needs ≥ 2 elements with scale_rewards "batch"');
    return { group_size, scale_rewards, rewards: f.floats('rewards', n, `multiple of group_size = ${group_size}`) };
  },
  gpu: async (rt, p) => ({ advantages: list(await grpoAdvantagesGpu(rt, p.rewards, p.group_size, p.scale_rewards)) }),
  cpu: (p) => ({ advantages: list(grpoAdvantagesCpu(p.rewards, p.group_size, p.scale_rewards)) }),
};

type GrpoLossParams = { c: GrpoLossConfig; logp: Float32Array; old_logp: Float32Array; ref_logp: Float32Array; advantages: Float32Array; mask: Float32Array };
const grpoLoss: Op<GrpoLossParams> = {
  parse(f) {
    const n = f.int('n');
    const t = f.int('t');
    const loss_type = f.choice('loss_type', LOSS_TYPES, 'grpo');
    // TRL defaults: epsilon 0.2, epsilon_high = epsilon when unset, beta 0, max_completion_length = t
    const epsilon_low = f.num('epsilon_low', { min: 0, max: 1, fallback: 0.2 });
    const c: GrpoLossConfig = {
      n,
      t,
      loss_type,
      epsilon_low,
      epsilon_high: f.num('epsilon_high', { min: 0, fallback: epsilon_low }),
      beta: f.num('beta', { min: 0, fallback: 0 }),
      max_completion_length: f.has('max_completion_length') ? f.int('max_completion_length') : t,
    };
    if (c.max_completion_length < t) throw new HarnessInputError(`grpo_loss: field "max_completion_length" is ${c.max_completion_length}, less than t = ${t} (completions are at most max_completion_length tokens)`);
    const why = `n·t = ${n}·${t}`;
    const mask = f.floats('mask', n * t, why);
    mask.forEach((m, i) => {
      if (m !== 0 && m !== 1) throw new HarnessInputError(`grpo_loss: field "mask" element ${i} is ${m}, expected 0 or 1`);
    });
    return {
      c,
      logp: f.floats('logp', n * t, why),
      old_logp: f.floats('old_logp', n * t, why),
      ref_logp: f.floats('ref_logp', n * t, why),
      advantages: f.floats('advantages', n, `n = ${n}`),
      mask,
    };
  },
  async gpu(rt, p) {
    const r = await grpoLossGpu(rt, p, p.c);
    return { loss: r.loss, dlogp: list(r.dlogp) };
  },
  cpu(p) {
    const r = grpoLossCpu(p, p.c);
    return { loss: r.loss, dlogp: list(r.dlogp) };
  },
};

const sample: Op<{ logits: Float32Array; u: Float32Array; c: SampleConfig }> = {
  parse(f) {
    const c = { n: f.int('n'), v: f.int('v'), temperature: f.num('temperature', { min: 0 }), top_p: f.num('top_p', { min: Number.MIN_VALUE, max: 1, fallback: 1 }) };
    const u = f.floats('u', c.n, `n = ${c.n}`);
    u.forEach((x, i) => {
      if (x < 0 || x >= 1) throw new HarnessInputError(`sample: field "u" element ${i} is ${x}, expected a number in [0, 1)`);
    });
    return { c, u, logits: f.floats('logits', c.n * c.v, `n·v = ${c.n}·${c.v}`) };
  },
  gpu: async (rt, p) => ({ ids: list(await sampleGpu(rt, p.logits, p.u, p.c)) }),
  cpu: (p) => ({ ids: Array.from(p.u, (u, row) => sampleCpu(p.logits, row, p.c.v, p.c.temperature, p.c.top_p, u).id) }),
};

export const OPS = {
  matmul,
  attention,
  rmsnorm,
  cross_entropy: crossEntropy,
  adamw,
  grpo_advantage: grpoAdvantage,
  grpo_loss: grpoLoss,
  sample,
} as const;

export type OpName = keyof typeof OPS;
export const OP_NAMES = Object.keys(OPS) as OpName[];

function opOf(name: string): Op<unknown> {
  if (!(name in OPS)) throw new HarnessInputError(`unknown op "${name}" (ops: ${OP_NAMES.join(', ')})`);
  return OPS[name as OpName] as Op<unknown>;
}

function asObject(name: string, input: unknown): Json {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new HarnessInputError(`${name}: input must be a JSON object of fields`);
  return input as Json;
}

/** Validate `input` for op `name` and run it on the GPU. */
export async function runOpGpu(rt: GpuRuntime, name: string, input: unknown): Promise<Outputs> {
  const op = opOf(name);
  return op.gpu(rt, op.parse(new Fields(name, asObject(name, input))));
}

/** Validate `input` for op `name` and run its CPU reference. */
export function runOpCpu(name: string, input: unknown): Outputs {
  const op = opOf(name);
  return op.cpu(op.parse(new Fields(name, asObject(name, input))));
}

/** Validate only (throws HarnessInputError naming the field). */
export function validateOp(name: string, input: unknown): void {
  const op = opOf(name);
  op.parse(new Fields(name, asObject(name, input)));
}
