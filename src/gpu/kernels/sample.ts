/** Temperature / top-p sampling on the GPU (shaders/sample.wgsl); CPU reference in sample-cpu.ts. */
import { GpuKernelError, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { expectLength, expectPositiveInts } from './check';

export interface SampleConfig {
  n: number;
  v: number;
  /** 0 = greedy */
  temperature: number;
  /** (0, 1]; 1 keeps every token */
  top_p: number;
}

/** Record ids[row] (u32) drawn from softmax(logits[row]/temperature) restricted to the top-p nucleus, using u[row] ∈ [0, 1). */
export function encodeSample(rt: GpuRuntime, logits: GpuTensor, u: GpuTensor, ids: GpuTensor, c: SampleConfig): void {
  const l = `sample(n=${c.n},v=${c.v},temperature=${c.temperature},top_p=${c.top_p})`;
  expectPositiveInts(l, { n: c.n, v: c.v });
  if (!(c.temperature >= 0)) throw new GpuKernelError(l, `temperature must be ≥ 0, got ${c.temperature}`);
  if (!(c.top_p > 0 && c.top_p <= 1)) throw new GpuKernelError(l, `top_p must be in (0, 1], got ${c.top_p}`);
  expectLength(l, 'logits', logits.length, c.n * c.v);
  expectLength(l, 'u', u.length, c.n);
  expectLength(l, 'ids', ids.length, c.n);
  rt.dispatch({ shader: 'sample', label: l, uniforms: uniforms([['u32', c.n], ['u32', c.v], ['f32', c.temperature], ['f32', c.top_p]]), buffers: [logits, u, ids], workgroups: grid(c.n) });
}

export async function sampleGpu(rt: GpuRuntime, logits: Float32Array, u: Float32Array, c: SampleConfig): Promise<Uint32Array> {
  const tl = rt.upload(logits, 'logits');
  const tu = rt.upload(u, 'u');
  const ids = rt.empty(c.n, 'ids');
  try {
    encodeSample(rt, tl, tu, ids, c);
    const [raw] = await rt.read(ids);
    return new Uint32Array(raw!.buffer, raw!.byteOffset, c.n);
  } finally {
    rt.release(tl, tu, ids);
  }
}
