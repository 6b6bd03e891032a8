/** Tiled matmul on the GPU (shaders/matmul.wgsl); CPU reference in matmul-cpu.ts. */
import { cdiv, GpuKernelError, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { expectLength, expectPositiveInts } from './check';
import type { MatmulShape } from './matmul-cpu';

export type { MatmulShape } from './matmul-cpu';
const TILE = 64;

export function matmulLabel(s: MatmulShape): string {
  const t = `${s.transA ? 'ᵀ' : ''}${s.transB ? ',Bᵀ' : ''}`;
  return `matmul(${s.batch && s.batch > 1 ? `batch=${s.batch},` : ''}m=${s.m},n=${s.n},k=${s.k}${t ? `,${t.replace('ᵀ', 'Aᵀ')}` : ''})`;
}

/** Element offsets of the operands inside larger tensors (e.g. one weight of a flat parameter buffer). */
export interface MatmulOffsets {
  a?: number;
  b?: number;
  c?: number;
}

/**
 * Record c = alpha·op(a)·op(b) + beta·c (beta = 0 never reads c). Without offsets each tensor
 * must hold exactly its operand; with offsets, the operand starts there and must fit.
 */
export function encodeMatmul(rt: GpuRuntime, a: GpuTensor, b: GpuTensor, c: GpuTensor, s: MatmulShape & { alpha?: number; beta?: number; offsets?: MatmulOffsets }): void {
  const label = s.label ?? matmulLabel(s);
  const batch = s.batch ?? 1;
  expectPositiveInts(label, { m: s.m, n: s.n, k: s.k, batch });
  const o = s.offsets;
  const fits = (name: string, t: GpuTensor, off: number | undefined, size: number) => {
    if (!o) return expectLength(label, name, t.length, size);
    const from = off ?? 0;
    if (!Number.isInteger(from) || from < 0 || from + size > t.length) throw new GpuKernelError(label, `${name} has ${t.length} elements; the operand at offset ${from} needs ${size}`);
  };
  fits('a', a, o?.a, batch * s.m * s.k);
  fits('b', b, o?.b, batch * s.k * s.n);
  fits('c', c, o?.c, batch * s.m * s.n);
  rt.dispatch({
    shader: 'matmul',
    label,
    constants: { TRANS_A: s.transA ? 1 : 0, TRANS_B: s.transB ? 1 : 0 },
    uniforms: uniforms([
      ['u32', s.m], ['u32', s.n], ['u32', s.k],
      ['u32', batch > 1 ? s.m * s.k : 0], ['u32', batch > 1 ? s.k * s.n : 0], ['u32', s.m * s.n],
      ['f32', s.alpha ?? 1], ['f32', s.beta ?? 0],
      ['u32', o?.a ?? 0], ['u32', o?.b ?? 0], ['u32', o?.c ?? 0], ['u32', 0],
    ]),
    buffers: [a, b, c],
    workgroups: [cdiv(s.n, TILE), cdiv(s.m, TILE), batch],
  });
}

/** Upload, multiply, read back (c0: c's prior contents, for beta ≠ 0). */
export async function matmulGpu(rt: GpuRuntime, a: Float32Array, b: Float32Array, s: MatmulShape & { alpha?: number; beta?: number }, c0?: Float32Array): Promise<Float32Array> {
  const batch = s.batch ?? 1;
  const ta = rt.upload(a, 'a');
  const tb = rt.upload(b, 'b');
  const tc = c0 ? rt.upload(c0, 'c') : rt.empty(batch * s.m * s.n, 'c');
  try {
    encodeMatmul(rt, ta, tb, tc, s);
    const [c] = await rt.read(tc);
    return c!;
  } finally {
    rt.release(ta, tb, tc);
  }
}
