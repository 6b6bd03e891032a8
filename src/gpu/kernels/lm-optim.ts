/**
 * Grad-norm clipping and AdamW over flat buffers (shaders/lm_optim.wgsl): three dispatches for
 * the whole model. References: gradNormCpu (elementwise-cpu.ts) and adamwCpu (adamw-cpu.ts).
 */
import { cdiv, GpuKernelError, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import type { AdamwConfig } from './adamw-cpu';

const CHUNK = 256;
export const lmPartials = (n: number) => Math.max(1, cdiv(n, CHUNK));

export interface LmOptimConfig extends AdamwConfig {
  /** elements from here on get no weight decay (the norm weights) */
  decay_end: number;
  /** clip_grad_norm_ max_norm; ≤ 0: no clipping */
  max_norm: number;
}

const params = (n: number, c: LmOptimConfig) =>
  uniforms([
    ['u32', n], ['f32', c.lr], ['f32', c.beta1], ['f32', c.beta2], ['f32', c.eps], ['f32', c.weight_decay],
    ['f32', 1 - c.beta1 ** c.step], ['f32', Math.sqrt(1 - c.beta2 ** c.step)], ['u32', c.decay_end], ['f32', c.max_norm], ['u32', 0], ['u32', 0],
  ]);

function check(l: string, n: number, ts: Array<[string, GpuTensor]>, c: LmOptimConfig) {
  for (const [k, t] of ts) if (t.length < n) throw new GpuKernelError(l, `${k} has ${t.length} elements, needs ${n}`);
  if (!Number.isInteger(c.step) || c.step < 1) throw new GpuKernelError(l, `step must be an integer ≥ 1, got ${c.step}`);
}

/** result = [norm, coef, ok] from grads and loss[0] (ok = both finite). partials: lmPartials(n) floats of scratch. */
export function encodeLmGradNorm(rt: GpuRuntime, x: { grads: GpuTensor; loss: GpuTensor; partials: GpuTensor; result: GpuTensor }, n: number, c: LmOptimConfig): void {
  const l = `lm_grad_norm(n=${n},max_norm=${c.max_norm})`;
  check(l, n, [['grads', x.grads]], c);
  const parts = lmPartials(n);
  if (x.partials.length < parts) throw new GpuKernelError(l, `partials has ${x.partials.length} elements, needs ${parts}`);
  if (x.result.length < 3) throw new GpuKernelError(l, 'result needs 3 elements');
  rt.dispatch({ shader: 'lm_optim', entry: 'sumsq', label: `${l} sumsq`, uniforms: params(n, c), buffers: [x.grads, x.partials], workgroups: grid(cdiv(parts, 64)) });
  rt.dispatch({ shader: 'lm_optim', entry: 'finish', label: `${l} finish`, uniforms: params(parts, c), buffers: [null, null, x.partials, x.loss, x.result], workgroups: [1] });
}

/** AdamW on params/m/v with g·result[1], skipped entirely when result[2] = 0. */
export function encodeLmAdamw(rt: GpuRuntime, x: { grads: GpuTensor; params: GpuTensor; m: GpuTensor; v: GpuTensor; result: GpuTensor }, n: number, c: LmOptimConfig): void {
  const l = `lm_adamw(n=${n},step=${c.step})`;
  check(l, n, [['grads', x.grads], ['params', x.params], ['m', x.m], ['v', x.v]], c);
  rt.dispatch({ shader: 'lm_optim', entry: 'adamw', label: l, uniforms: params(n, c), buffers: [x.grads, null, null, null, null, x.result, x.params, x.m, x.v], workgroups: grid(cdiv(n, 64)) });
}

/** Both: the whole optimizer step in three dispatches. */
export function encodeLmOptimizerStep(rt: GpuRuntime, x: { grads: GpuTensor; params: GpuTensor; m: GpuTensor; v: GpuTensor; loss: GpuTensor; partials: GpuTensor; result: GpuTensor }, n: number, c: LmOptimConfig): void {
  encodeLmGradNorm(rt, x, n, c);
  encodeLmAdamw(rt, x, n, c);
}
