/** Fused attention forward and backward on the GPU (shaders/attention.wgsl); CPU reference in attention-cpu.ts. */
import { cdiv, GpuKernelError, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import type { AttentionShape } from './attention-cpu';
import { expectLength, expectPositiveInts } from './check';

export type { AttentionShape } from './attention-cpu';
const ROWS = 64;
/** private accumulators are arrays of d floats per thread */
export const MAX_HEAD_DIM = 256;

export function attentionLabel(s: AttentionShape, pass: string): string {
  return `attention_${pass}(b=${s.b},h=${s.h},t=${s.t},d=${s.d}${s.causal ? ',causal' : ''})`;
}

function prepare(rt: GpuRuntime, s: AttentionShape, label: string) {
  expectPositiveInts(label, { b: s.b, h: s.h, t: s.t, d: s.d });
  if (s.d > MAX_HEAD_DIM) throw new GpuKernelError(label, `head dim d=${s.d} exceeds ${MAX_HEAD_DIM}`);
  // two tiles of BC rows × d floats plus two BC vectors must fit in workgroup memory
  const bytes = rt.device.limits.maxComputeWorkgroupStorageSize;
  const bc = Math.max(1, Math.min(64, Math.floor(bytes / (8 * s.d + 8))));
  return {
    defines: { D: s.d, BC: bc },
    uniforms: uniforms([['u32', s.t], ['u32', s.causal ? 1 : 0], ['f32', 1 / Math.sqrt(s.d)], ['u32', 0]]),
    workgroups: [cdiv(s.t, ROWS), s.b * s.h] as const,
  };
}

/** Record o = attention(q, k, v) and lse (b·h·t floats, kept for the backward pass). */
export function encodeAttentionForward(rt: GpuRuntime, q: GpuTensor, k: GpuTensor, v: GpuTensor, o: GpuTensor, lse: GpuTensor, s: AttentionShape): void {
  const label = attentionLabel(s, 'forward');
  const c = prepare(rt, s, label);
  const n = s.b * s.h * s.t * s.d;
  for (const [name, t] of [['q', q], ['k', k], ['v', v], ['o', o]] as const) expectLength(label, name, t.length, n);
  expectLength(label, 'lse', lse.length, s.b * s.h * s.t);
  rt.dispatch({ shader: 'attention', entry: 'forward', label, ...c, buffers: [q, k, v, o, lse] });
}

/** Record dq, dk, dv from the forward's o and lse; delta is b·h·t floats of scratch. */
export function encodeAttentionBackward(
  rt: GpuRuntime,
  t: { q: GpuTensor; k: GpuTensor; v: GpuTensor; o: GpuTensor; lse: GpuTensor; dout: GpuTensor; dq: GpuTensor; dk: GpuTensor; dv: GpuTensor; delta: GpuTensor },
  s: AttentionShape,
): void {
  const label = attentionLabel(s, 'backward');
  const c = prepare(rt, s, label);
  const n = s.b * s.h * s.t * s.d;
  for (const name of ['q', 'k', 'v', 'o', 'dout', 'dq', 'dk', 'dv'] as const) expectLength(label, name, t[name].length, n);
  expectLength(label, 'lse', t.lse.length, s.b * s.h * s.t);
  expectLength(label, 'delta', t.delta.length, s.b * s.h * s.t);
  rt.dispatch({ shader: 'attention', entry: 'backward_dq', label: `${label} dq`, ...c, buffers: [t.q, t.k, t.v, t.o, t.dout, t.lse, t.dq, t.delta] });
  rt.dispatch({ shader: 'attention', entry: 'backward_dkdv', label: `${label} dk,dv`, ...c, buffers: [t.q, t.k, t.v, t.dout, t.lse, t.delta, t.dk, t.dv] });
}

/** Upload, run forward (and backward when dout is given), read back. */
export async function attentionGpu(rt: GpuRuntime, q: Float32Array, k: Float32Array, v: Float32Array, s: AttentionShape, dout?: Float32Array) {
  const n = s.b * s.h * s.t * s.d;
  const rows = s.b * s.h * s.t;
  const tq = rt.upload(q, 'q');
  const tk = rt.upload(k, 'k');
  const tv = rt.upload(v, 'v');
  const o = rt.empty(n, 'o');
  const lse = rt.empty(rows, 'lse');
  const held = [tq, tk, tv, o, lse];
  try {
    encodeAttentionForward(rt, tq, tk, tv, o, lse, s);
    if (!dout) {
      const [out] = await rt.read(o);
      return { o: out! };
    }
    const td = rt.upload(dout, 'dout');
    const dq = rt.empty(n, 'dq');
    const dk = rt.empty(n, 'dk');
    const dv = rt.empty(n, 'dv');
    const delta = rt.empty(rows, 'delta');
    held.push(td, dq, dk, dv, delta);
    encodeAttentionBackward(rt, { q: tq, k: tk, v: tv, o, lse, dout: td, dq, dk, dv, delta }, s);
    const [ro, rdq, rdk, rdv] = await rt.read(o, dq, dk, dv);
    return { o: ro!, dq: rdq!, dk: rdk!, dv: rdv! };
  } finally {
    rt.release(...held);
  }
}
