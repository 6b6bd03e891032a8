/** AdamW on the GPU (shaders/adamw.wgsl); CPU reference in adamw-cpu.ts. */
import { cdiv, GpuKernelError, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import type { AdamwConfig } from './adamw-cpu';
import { expectLength } from './check';

export type { AdamwConfig } from './adamw-cpu';

/** Record one in-place update of param, m, v. gradScale: 1-element tensor (the clip coefficient, or 1). */
export function encodeAdamw(rt: GpuRuntime, param: GpuTensor, grad: GpuTensor, m: GpuTensor, v: GpuTensor, gradScale: GpuTensor, c: AdamwConfig): void {
  const n = param.length;
  const l = `adamw(n=${n},step=${c.step})`;
  for (const [name, t] of [['grad', grad], ['m', m], ['v', v]] as const) expectLength(l, name, t.length, n);
  expectLength(l, 'gradScale', gradScale.length, 1);
  if (!Number.isInteger(c.step) || c.step < 1) throw new GpuKernelError(l, `step must be an integer ≥ 1, got ${c.step}`);
  rt.dispatch({
    shader: 'adamw',
    label: l,
    uniforms: uniforms([
      ['u32', n], ['f32', c.lr], ['f32', c.beta1], ['f32', c.beta2], ['f32', c.eps], ['f32', c.weight_decay],
      ['f32', 1 - c.beta1 ** c.step], ['f32', Math.sqrt(1 - c.beta2 ** c.step)],
    ]),
    buffers: [grad, gradScale, param, m, v],
    workgroups: grid(cdiv(n, 64)),
  });
}

export async function adamwGpu(rt: GpuRuntime, param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, c: AdamwConfig) {
  const ts = [rt.upload(param, 'param'), rt.upload(grad, 'grad'), rt.upload(m, 'm'), rt.upload(v, 'v'), rt.upload(new Float32Array([1]), 'gradScale')] as const;
  try {
    encodeAdamw(rt, ts[0], ts[1], ts[2], ts[3], ts[4], c);
    const [p2, m2, v2] = await rt.read(ts[0], ts[2], ts[3]);
    return { param: p2!, m: m2!, v: v2! };
  } finally {
    rt.release(...ts);
  }
}
