/** SwiGLU on the packed gate/up projection (shaders/lm_mlp.wgsl); reference: lm-mlp-cpu.ts. */
import { cdiv, GpuKernelError, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { expectPositiveInts } from './check';

function atLeast(label: string, name: string, t: GpuTensor, n: number) {
  if (t.length < n) throw new GpuKernelError(label, `${name} has ${t.length} elements, needs ${n}`);
}

/** h [rows, f] = silu(gu[:, :f])·gu[:, f:] */
export function encodeSwigluPacked(rt: GpuRuntime, gu: GpuTensor, h: GpuTensor, rows: number, f: number): void {
  const l = `lm_swiglu(rows=${rows},f=${f})`;
  expectPositiveInts(l, { rows, f });
  atLeast(l, 'gu', gu, rows * 2 * f);
  atLeast(l, 'h', h, rows * f);
  rt.dispatch({ shader: 'lm_mlp', entry: 'forward', label: l, uniforms: uniforms([['u32', rows * f], ['u32', f], ['u32', 0], ['u32', 0]]), buffers: [gu, h], workgroups: grid(cdiv(rows * f, 64)) });
}

/** dgu [rows, 2f] (packed like gu) from dh [rows, f] */
export function encodeSwigluPackedBackward(rt: GpuRuntime, gu: GpuTensor, dh: GpuTensor, dgu: GpuTensor, rows: number, f: number): void {
  const l = `lm_swiglu_backward(rows=${rows},f=${f})`;
  expectPositiveInts(l, { rows, f });
  atLeast(l, 'gu', gu, rows * 2 * f);
  atLeast(l, 'dh', dh, rows * f);
  atLeast(l, 'dgu', dgu, rows * 2 * f);
  rt.dispatch({ shader: 'lm_mlp', entry: 'backward', label: l, uniforms: uniforms([['u32', rows * f], ['u32', f], ['u32', 0], ['u32', 0]]), buffers: [gu, null, dh, dgu], workgroups: grid(cdiv(rows * f, 64)) });
}
