/** The LM head's objective per token (shaders/lm_loss.wgsl) and the stats reduction; reference: lm-loss-cpu.ts. */
import { cdiv, GpuKernelError, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { expectPositiveInts } from './check';
import type { LmLossConfig, LmLossMode } from './lm-loss-cpu';

export type { LmLossConfig, LmLossMode } from './lm-loss-cpu';
export const LM_STATS = 8;
/** up to this vocabulary one thread handles a row (barrier-free); beyond it a workgroup does */
export const LM_LOSS_ROW_THREAD_MAX_V = 4096;

const modeIndex = (m: LmLossMode) => (m === 'sft' ? 0 : m === 'paper' ? 2 : m === 'cispo' ? 3 : 1);

export interface LmLossTensors {
  /** [n, v]: replaced by dlogits when grad */
  logits: GpuTensor;
  /** i32 [n] */
  targets: GpuTensor;
  weights: GpuTensor;
  adv: GpuTensor;
  old: GpuTensor | null;
  ref: GpuTensor | null;
  /** [statOff + n, 8] */
  stats: GpuTensor;
}

function atLeast(label: string, name: string, t: GpuTensor, n: number) {
  if (t.length < n) throw new GpuKernelError(label, `${name} has ${t.length} elements, needs ${n}`);
}

/** Record the per-token objective; grad = false only fills stats (log-probs for logprobs()). wide: force the workgroup-per-row form. */
export function encodeLmLoss(rt: GpuRuntime, x: LmLossTensors, c: LmLossConfig, opts: { grad: boolean; statOff?: number; wide?: boolean }): void {
  const wide = opts.wide ?? c.v > LM_LOSS_ROW_THREAD_MAX_V;
  const l = `lm_loss${wide ? '_wide' : ''}(n=${c.n},v=${c.v},mode=${c.mode}${opts.grad ? '' : ',no grad'})`;
  expectPositiveInts(l, { n: c.n, v: c.v, t: c.t });
  if (!(c.temperature > 0)) throw new GpuKernelError(l, `temperature must be > 0, got ${c.temperature}`);
  atLeast(l, 'logits', x.logits, c.n * c.v);
  atLeast(l, 'targets', x.targets, c.n);
  atLeast(l, 'weights', x.weights, c.n);
  atLeast(l, 'adv', x.adv, Math.ceil(c.n / c.t));
  atLeast(l, 'stats', x.stats, ((opts.statOff ?? 0) + c.n) * 8);
  if (x.old) atLeast(l, 'old', x.old, c.n);
  if (x.ref) atLeast(l, 'ref', x.ref, c.n);
  // bindings that the mode does not read still need a buffer of the right kind; the weights stand in
  const old = x.old ?? x.weights;
  const ref = x.ref ?? x.weights;
  rt.dispatch({
    shader: 'lm_loss',
    entry: wide ? 'token_wide' : 'token',
    label: l,
    uniforms: uniforms([
      ['u32', c.n], ['u32', c.v], ['u32', c.t], ['u32', modeIndex(c.mode)],
      ['f32', c.epsilon_low], ['f32', c.epsilon_high], ['f32', c.beta], ['f32', 1 / c.temperature],
      ['u32', x.old ? 1 : 0], ['u32', x.ref ? 1 : 0], ['u32', opts.grad ? 1 : 0], ['u32', opts.statOff ?? 0],
    ]),
    buffers: [x.logits, x.targets, x.weights, x.adv, old, ref, x.stats],
    workgroups: grid(wide ? c.n : cdiv(c.n, 64)),
  });
}

/** out[0..7) = Σ over n rows of stats columns 0..6 */
export function encodeLmStatsReduce(rt: GpuRuntime, stats: GpuTensor, out: GpuTensor, n: number): void {
  const l = `lm_stats_reduce(n=${n})`;
  atLeast(l, 'stats', stats, n * 8);
  atLeast(l, 'out', out, 7);
  rt.dispatch({
    shader: 'lm_loss',
    entry: 'reduce',
    label: l,
    uniforms: uniforms([['u32', n], ['u32', 1], ['u32', 1], ['u32', 0], ['f32', 0], ['f32', 0], ['f32', 0], ['f32', 1], ['u32', 0], ['u32', 0], ['u32', 0], ['u32', 0]]),
    buffers: [null, null, null, null, null, null, null, stats, out],
    workgroups: [1],
  });
}
