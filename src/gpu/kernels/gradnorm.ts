/** Global grad-norm and clipping on the GPU (shaders/gradnorm.wgsl); CPU reference in elementwise-cpu.ts. */
import { cdiv, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { expectLength } from './check';

const CHUNK = 4096;

/** partial slots needed for these gradient tensors */
export const gradNormSlots = (grads: GpuTensor[]) => grads.reduce((s, g) => s + Math.max(1, cdiv(g.length, CHUNK)), 0);

/**
 * Record result = [norm, coef] over all grads (coef = min(1, maxNorm/(norm+1e-6))) and,
 * when `apply`, scale every gradient by coef in place. partials: gradNormSlots(grads) floats.
 */
export function encodeClipGradNorm(rt: GpuRuntime, grads: GpuTensor[], partials: GpuTensor, result: GpuTensor, maxNorm: number, apply: boolean): void {
  const l = `clip_grad_norm(tensors=${grads.length},max_norm=${maxNorm})`;
  expectLength(l, 'partials', partials.length, gradNormSlots(grads));
  expectLength(l, 'result', result.length, 2);
  let slot = 0;
  for (const g of grads) {
    const wgs = Math.max(1, cdiv(g.length, CHUNK));
    rt.dispatch({ shader: 'gradnorm', entry: 'sumsq', label: `${l} sumsq(${g.label}, n=${g.length})`, uniforms: uniforms([['u32', g.length], ['u32', slot], ['f32', maxNorm], ['u32', 0]]), buffers: [g, partials], workgroups: [wgs] });
    slot += wgs;
  }
  rt.dispatch({ shader: 'gradnorm', entry: 'finish', label: `${l} finish`, uniforms: uniforms([['u32', slot], ['u32', 0], ['f32', maxNorm], ['u32', 0]]), buffers: [null, partials, result], workgroups: [1] });
  if (!apply) return;
  for (const g of grads) {
    rt.dispatch({ shader: 'gradnorm', entry: 'scale', label: `${l} scale(${g.label}, n=${g.length})`, uniforms: uniforms([['u32', g.length], ['u32', 0], ['f32', maxNorm], ['u32', 0]]), buffers: [g, null, result], workgroups: grid(cdiv(g.length, 64)) });
  }
}

export async function clipGradNormGpu(rt: GpuRuntime, grads: Float32Array[], maxNorm: number) {
  const ts = grads.map((g, i) => rt.upload(g, `grad${i}`));
  const partials = rt.empty(gradNormSlots(ts), 'partials');
  const result = rt.empty(2, 'result');
  try {
    encodeClipGradNorm(rt, ts, partials, result, maxNorm, true);
    const [r, ...clipped] = await rt.read(result, ...ts);
    return { norm: r![0]!, coef: r![1]!, grads: clipped };
  } finally {
    rt.release(...ts, partials, result);
  }
}
