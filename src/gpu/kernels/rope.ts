/** Rotary position embedding on the GPU (shaders/rope.wgsl); CPU reference in elementwise-cpu.ts. */
import { cdiv, GpuKernelError, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { expectLength, expectPositiveInts } from './check';
import type { RopeShape } from './elementwise-cpu';

export type { RopeShape } from './elementwise-cpu';

/** cos and sin tables for positions [0, positions) and head dim d, computed in float64. */
export function ropeTables(positions: number, d: number, theta = 10000): { cos: Float32Array; sin: Float32Array } {
  const half = d / 2;
  const cos = new Float32Array(positions * half);
  const sin = new Float32Array(positions * half);
  for (let p = 0; p < positions; p++)
    for (let j = 0; j < half; j++) {
      const ang = p * theta ** ((-2 * j) / d);
      cos[p * half + j] = Math.cos(ang);
      sin[p * half + j] = Math.sin(ang);
    }
  return { cos, sin };
}

/**
 * Record y = rope(x) (direction +1) or its backward (−1, applied to the gradient). cos/sin:
 * tables from ropeTables covering positions offset + t (upload once per model and reuse).
 */
export function encodeRope(rt: GpuRuntime, x: GpuTensor, y: GpuTensor, cos: GpuTensor, sin: GpuTensor, s: RopeShape, direction: 1 | -1 = 1): void {
  const l = `rope_${direction > 0 ? 'forward' : 'backward'}(rows=${s.rows},t=${s.t},d=${s.d},offset=${s.offset ?? 0})`;
  expectPositiveInts(l, { rows: s.rows, t: s.t, d: s.d });
  if (s.d % 2 !== 0) throw new GpuKernelError(l, `d must be even, got ${s.d}`);
  // WebGPU forbids binding one buffer as both read-only and writable storage in a dispatch
  if (x === y) throw new GpuKernelError(l, 'x and y must be different tensors');
  expectLength(l, 'x', x.length, s.rows * s.t * s.d);
  expectLength(l, 'y', y.length, s.rows * s.t * s.d);
  const need = ((s.offset ?? 0) + s.t) * (s.d / 2);
  if (cos.length < need || sin.length < need) throw new GpuKernelError(l, `cos/sin tables hold ${Math.min(cos.length, sin.length)} values, need ${need} (positions up to ${(s.offset ?? 0) + s.t})`);
  const pairs = (s.rows * s.t * s.d) / 2;
  rt.dispatch({
    shader: 'rope',
    label: l,
    uniforms: uniforms([['u32', s.rows], ['u32', s.t], ['u32', s.d], ['u32', s.offset ?? 0], ['f32', direction], ['u32', 0], ['u32', 0], ['u32', 0]]),
    buffers: [x, y, cos, sin],
    workgroups: grid(cdiv(pairs, 64)),
  });
}

export async function ropeGpu(rt: GpuRuntime, x: Float32Array, s: RopeShape, direction: 1 | -1 = 1): Promise<Float32Array> {
  const tables = ropeTables((s.offset ?? 0) + s.t, s.d, s.theta);
  const held = [rt.upload(x, 'x'), rt.empty(x.length, 'y'), rt.upload(tables.cos, 'rope_cos'), rt.upload(tables.sin, 'rope_sin')] as const;
  try {
    encodeRope(rt, held[0], held[1], held[2], held[3], s, direction);
    return (await rt.read(held[1]))[0]!;
  } finally {
    rt.release(...held);
  }
}
