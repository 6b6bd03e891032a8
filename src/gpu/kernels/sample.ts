/** Temperature / top-p sampling on the GPU (shaders/sample.wgsl); CPU reference in sample-cpu.ts. */
import { cdiv, GpuKernelError, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { expectLength, expectPositiveInts } from './check';

/** up to this vocabulary one thread draws a row (barrier-free); beyond it a 256-thread workgroup does */
export const SAMPLE_ROW_THREAD_MAX_V = 4096;

export interface SampleConfig {
  n: number;
  v: number;
  /** 0 = greedy */
  temperature: number;
  /** (0, 1]; 1 keeps every token */
  top_p: number;
  /** force the one-workgroup-per-row form (default: only above SAMPLE_ROW_THREAD_MAX_V) */
  wide?: boolean;
}

/**
 * Record ids[idOff + row] (u32) drawn from softmax(logits[row]/temperature) restricted to the
 * top-p nucleus, using u[uOff + row] ∈ [0, 1). Offsets let generation keep every step's
 * uniforms and tokens in one buffer each.
 */
export function encodeSample(rt: GpuRuntime, logits: GpuTensor, u: GpuTensor, ids: GpuTensor, c: SampleConfig, offsets: { u?: number; ids?: number } = {}): void {
  const l = `sample(n=${c.n},v=${c.v},temperature=${c.temperature},top_p=${c.top_p})`;
  expectPositiveInts(l, { n: c.n, v: c.v });
  if (!(c.temperature >= 0)) throw new GpuKernelError(l, `temperature must be ≥ 0, got ${c.temperature}`);
  if (!(c.top_p > 0 && c.top_p <= 1)) throw new GpuKernelError(l, `top_p must be in (0, 1], got ${c.top_p}`);
  const uo = offsets.u ?? 0;
  const io = offsets.ids ?? 0;
  if (logits.length < c.n * c.v) expectLength(l, 'logits', logits.length, c.n * c.v);
  if (offsets.u === undefined) expectLength(l, 'u', u.length, c.n);
  else if (u.length < uo + c.n) throw new GpuKernelError(l, `u has ${u.length} values; offset ${uo} needs ${c.n} more`);
  if (offsets.ids === undefined) expectLength(l, 'ids', ids.length, c.n);
  else if (ids.length < io + c.n) throw new GpuKernelError(l, `ids has ${ids.length} slots; offset ${io} needs ${c.n} more`);
  const wide = c.wide ?? c.v > SAMPLE_ROW_THREAD_MAX_V;
  rt.dispatch({
    shader: 'sample',
    entry: wide ? 'main' : 'rows',
    label: l,
    uniforms: uniforms([['u32', c.n], ['u32', c.v], ['f32', c.temperature], ['f32', c.top_p], ['u32', uo], ['u32', io], ['u32', 0], ['u32', 0]]),
    buffers: [logits, u, ids],
    workgroups: wide ? grid(c.n) : grid(cdiv(c.n, 64)),
  });
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
