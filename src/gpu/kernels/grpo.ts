/** GRPO advantage and loss+gradient on the GPU (shaders/grpo.wgsl); CPU reference in grpo-cpu.ts. */
import { cdiv, GpuKernelError, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { expectLength, expectPositiveInts } from './check';
import { LOSS_TYPES, SCALE_REWARDS, type GrpoLossConfig, type ScaleRewards } from './grpo-cpu';
import { encodeSum } from './logsoftmax';

/** Record advantages from rewards (n = rewards.length, a multiple of groupSize). */
export function encodeGrpoAdvantages(rt: GpuRuntime, rewards: GpuTensor, advantages: GpuTensor, groupSize: number, scale: ScaleRewards): void {
  const n = rewards.length;
  const l = `grpo_advantage(n=${n},group_size=${groupSize},scale_rewards=${scale})`;
  expectPositiveInts(l, { n, group_size: groupSize });
  if (n % groupSize !== 0) throw new GpuKernelError(l, `${n} rewards do not split into groups of ${groupSize}`);
  if (scale === 'group' && groupSize < 2) throw new GpuKernelError(l, 'scale_rewards="group" needs group_size ≥ 2 (sample std of one reward is undefined)');
  if (scale === 'batch' && n < 2) throw new GpuKernelError(l, 'scale_rewards="batch" needs at least 2 rewards');
  expectLength(l, 'advantages', advantages.length, n);
  rt.dispatch({
    shader: 'grpo',
    entry: 'advantage',
    label: l,
    uniforms: uniforms([['u32', n], ['u32', groupSize], ['u32', SCALE_REWARDS.indexOf(scale)], ['u32', 0], ['f32', 0], ['f32', 0], ['f32', 0], ['u32', 0]]),
    buffers: [rewards, advantages],
    workgroups: [1],
  });
}

export interface GrpoLossTensors {
  logp: GpuTensor;
  old_logp: GpuTensor;
  ref_logp: GpuTensor;
  /** one per sequence */
  advantages: GpuTensor;
  mask: GpuTensor;
  /** outputs: loss (1), dlogp (n·t); scratch: counts (n + 1), contrib (n·t) */
  loss: GpuTensor;
  dlogp: GpuTensor;
  counts: GpuTensor;
  contrib: GpuTensor;
}

export function encodeGrpoLoss(rt: GpuRuntime, x: GrpoLossTensors, c: GrpoLossConfig): void {
  const l = `grpo_loss(n=${c.n},t=${c.t},loss_type=${c.loss_type})`;
  expectPositiveInts(l, { n: c.n, t: c.t, max_completion_length: c.max_completion_length });
  const nt = c.n * c.t;
  for (const name of ['logp', 'old_logp', 'ref_logp', 'mask', 'dlogp', 'contrib'] as const) expectLength(l, name, x[name].length, nt);
  expectLength(l, 'advantages', x.advantages.length, c.n);
  expectLength(l, 'counts', x.counts.length, c.n + 1);
  expectLength(l, 'loss', x.loss.length, 1);
  const u = uniforms([
    ['u32', c.n], ['u32', c.t], ['u32', LOSS_TYPES.indexOf(c.loss_type)], ['u32', c.max_completion_length],
    ['f32', c.epsilon_low], ['f32', c.epsilon_high], ['f32', c.beta], ['f32', c.num_items_in_batch ?? 0],
  ]);
  rt.dispatch({ shader: 'grpo', entry: 'mask_counts', label: `${l} mask counts`, uniforms: u, buffers: [null, x.counts, null, null, null, x.mask], workgroups: [1] });
  rt.dispatch({
    shader: 'grpo',
    entry: 'token_loss',
    label: l,
    uniforms: u,
    buffers: [x.logp, x.counts, x.old_logp, x.ref_logp, x.advantages, x.mask, x.contrib, x.dlogp],
    workgroups: grid(cdiv(nt, 64)),
  });
  encodeSum(rt, x.contrib, x.loss, 1, `${l} sum`);
}

export async function grpoAdvantagesGpu(rt: GpuRuntime, rewards: Float32Array, groupSize: number, scale: ScaleRewards): Promise<Float32Array> {
  const r = rt.upload(rewards, 'rewards');
  const a = rt.empty(rewards.length, 'advantages');
  try {
    encodeGrpoAdvantages(rt, r, a, groupSize, scale);
    return (await rt.read(a))[0]!;
  } finally {
    rt.release(r, a);
  }
}

export async function grpoLossGpu(
  rt: GpuRuntime,
  x: { logp: Float32Array; old_logp: Float32Array; ref_logp: Float32Array; advantages: Float32Array; mask: Float32Array },
  c: GrpoLossConfig,
): Promise<{ loss: number; dlogp: Float32Array }> {
  const nt = c.n * c.t;
  const t: GrpoLossTensors = {
    logp: rt.upload(x.logp, 'logp'),
    old_logp: rt.upload(x.old_logp, 'old_logp'),
    ref_logp: rt.upload(x.ref_logp, 'ref_logp'),
    advantages: rt.upload(x.advantages, 'advantages'),
    mask: rt.upload(x.mask, 'mask'),
    loss: rt.empty(1, 'loss'),
    dlogp: rt.empty(nt, 'dlogp'),
    counts: rt.empty(c.n + 1, 'counts'),
    contrib: rt.empty(nt, 'contrib'),
  };
  try {
    encodeGrpoLoss(rt, t, c);
    const [loss, dlogp] = await rt.read(t.loss, t.dlogp);
    return { loss: loss![0]!, dlogp: dlogp! };
  } finally {
    rt.release(...Object.values(t));
  }
}
