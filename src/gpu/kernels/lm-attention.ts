/**
 * The Llama layer's attention on the GPU (shaders/lm_attention.wgsl): RoPE, grouped-query heads
 * and causal attention on the packed q/k/v projection, heads merged on output; the backward
 * writes the packed gradient of the unrotated projection. Plus the KV-cache decode step and the
 * prefill cache fill. CPU reference: lm-attention-cpu.ts.
 */
import { cdiv, GpuKernelError, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { MAX_HEAD_DIM } from './attention';
import { expectPositiveInts } from './check';
import type { LmAttentionShape } from './lm-attention-cpu';

export type { LmAttentionShape } from './lm-attention-cpu';

/** [cos | sin] of p·theta^(−2j/d) for p < positions, float64 rounded once: one storage binding */
export function lmRopeTable(positions: number, d: number, theta: number): Float32Array {
  const half = d / 2;
  const out = new Float32Array(2 * positions * half);
  for (let p = 0; p < positions; p++)
    for (let j = 0; j < half; j++) {
      const ang = p * theta ** ((-2 * j) / d);
      out[p * half + j] = Math.cos(ang);
      out[positions * half + p * half + j] = Math.sin(ang);
    }
  return out;
}

export const ropePositions = (table: GpuTensor, d: number) => table.length / d;

function atLeast(label: string, name: string, t: GpuTensor, n: number) {
  if (t.length < n) throw new GpuKernelError(label, `${name} has ${t.length} elements, needs ${n}`);
}

function prepare(s: LmAttentionShape, label: string, rope: GpuTensor, positions: number) {
  expectPositiveInts(label, { b: s.b, t: s.t, nh: s.nh, nkv: s.nkv, d: s.d });
  if (s.d > MAX_HEAD_DIM) throw new GpuKernelError(label, `head dim d=${s.d} exceeds ${MAX_HEAD_DIM}`);
  if (s.d % 2) throw new GpuKernelError(label, `head dim d=${s.d} must be even for rotary embeddings`);
  if (s.nh % s.nkv) throw new GpuKernelError(label, `nh=${s.nh} is not a multiple of nkv=${s.nkv}`);
  const have = ropePositions(rope, s.d);
  if (have < positions) throw new GpuKernelError(label, `the rope table covers ${have} positions, needs ${positions}`);
  return { defines: { D: s.d }, sinOff: have * (s.d / 2) };
}

const params = (s: LmAttentionShape, sinOff: number, extra: { cacheLen?: number; kOff?: number; vOff?: number; step?: number; rows?: number } = {}) =>
  uniforms([
    ['u32', s.t], ['u32', s.nh], ['u32', s.nkv], ['f32', 1 / Math.sqrt(s.d)],
    ['u32', sinOff], ['u32', extra.cacheLen ?? 0], ['u32', extra.kOff ?? 0], ['u32', extra.vOff ?? 0],
    ['u32', extra.step ?? 0], ['u32', extra.rows ?? 0], ['u32', 0], ['u32', 0],
  ]);

export const lmAttentionLabel = (s: LmAttentionShape, pass: string) => `lm_attention_${pass}(b=${s.b},t=${s.t},heads=${s.nh},kv_heads=${s.nkv},d=${s.d})`;
const qkvWidth = (s: LmAttentionShape) => (s.nh + 2 * s.nkv) * s.d;

/**
 * att [b·t, nh·d] and lse [b·nh·t] from qkv [b·t, (nh + 2·nkv)·d], whose q and k columns are
 * rotated in place first (the backward and the KV cache read them rotated). Tensors may be
 * larger than needed.
 */
export function encodeLmAttentionForward(rt: GpuRuntime, qkv: GpuTensor, rope: GpuTensor, att: GpuTensor, lse: GpuTensor, s: LmAttentionShape): void {
  const label = lmAttentionLabel(s, 'forward');
  const c = prepare(s, label, rope, s.t);
  atLeast(label, 'qkv', qkv, s.b * s.t * qkvWidth(s));
  atLeast(label, 'att', att, s.b * s.t * s.nh * s.d);
  atLeast(label, 'lse', lse, s.b * s.nh * s.t);
  const u = params(s, c.sinOff, { rows: s.b });
  rt.dispatch({ shader: 'lm_attention', entry: 'rope_qk', label: `rope_qk(b=${s.b},t=${s.t},heads=${s.nh}+${s.nkv},d=${s.d})`, defines: c.defines, uniforms: u, buffers: [null, rope, null, null, null, null, null, null, null, null, qkv], workgroups: grid(cdiv(s.b * s.t * (s.nh + s.nkv) * (s.d / 2), 64)) });
  rt.dispatch({ shader: 'lm_attention', entry: 'forward', label, defines: c.defines, uniforms: u, buffers: [qkv, null, att, lse], workgroups: grid(cdiv(s.b * s.nh * s.t, 64)) });
}

/** dqkv (packed like qkv, every element written) from the rotated qkv and the forward's att and lse; delta: b·nh·t floats of scratch. */
export function encodeLmAttentionBackward(rt: GpuRuntime, x: { qkv: GpuTensor; rope: GpuTensor; att: GpuTensor; lse: GpuTensor; datt: GpuTensor; dqkv: GpuTensor; delta: GpuTensor }, s: LmAttentionShape): void {
  const label = lmAttentionLabel(s, 'backward');
  const c = prepare(s, label, x.rope, s.t);
  const n = s.b * s.t;
  atLeast(label, 'qkv', x.qkv, n * qkvWidth(s));
  atLeast(label, 'dqkv', x.dqkv, n * qkvWidth(s));
  atLeast(label, 'att', x.att, n * s.nh * s.d);
  atLeast(label, 'datt', x.datt, n * s.nh * s.d);
  atLeast(label, 'lse', x.lse, s.b * s.nh * s.t);
  atLeast(label, 'delta', x.delta, s.b * s.nh * s.t);
  const u = params(s, c.sinOff, { rows: s.b });
  rt.dispatch({ shader: 'lm_attention', entry: 'backward_dq', label: `${label} dq`, defines: c.defines, uniforms: u, buffers: [x.qkv, x.rope, null, x.lse, x.att, x.datt, x.dqkv, x.delta], workgroups: grid(cdiv(s.b * s.nh * s.t, 64)) });
  rt.dispatch({ shader: 'lm_attention', entry: 'backward_dkdv', label: `${label} dk,dv`, defines: c.defines, uniforms: u, buffers: [x.qkv, x.rope, null, x.lse, null, x.datt, x.dqkv, x.delta], workgroups: grid(cdiv(s.b * s.nkv * s.t, 64)) });
}

export interface KvCacheLayout {
  /** positions per row */
  len: number;
  /** first element of this layer's K and V blocks ([rows, nkv, len, d] each) */
  kOff: number;
  vOff: number;
}

/**
 * One decode step: qkv [rows, QKV] holds each row's new token at position lens[b] + step; att
 * [rows, nh·d] gets its attention over the cache plus itself, and the cache gets its k and v.
 * (s.b = rows, s.t unused: 1.)
 */
export function encodeLmAttentionDecode(rt: GpuRuntime, x: { qkv: GpuTensor; rope: GpuTensor; lens: GpuTensor; cache: GpuTensor; att: GpuTensor }, s: LmAttentionShape, cache: KvCacheLayout, step: number, maxPos: number): void {
  const label = `${lmAttentionLabel(s, 'decode')} step=${step}`;
  const c = prepare(s, label, x.rope, maxPos);
  if (maxPos > cache.len) throw new GpuKernelError(label, `positions up to ${maxPos} do not fit a cache of ${cache.len}`);
  atLeast(label, 'qkv', x.qkv, s.b * qkvWidth(s));
  atLeast(label, 'att', x.att, s.b * s.nh * s.d);
  atLeast(label, 'lens', x.lens, s.b);
  atLeast(label, 'cache', x.cache, Math.max(cache.kOff, cache.vOff) + s.b * s.nkv * cache.len * s.d);
  const u = uniforms([
    ['u32', s.b], ['u32', s.nh], ['u32', s.nkv], ['f32', 1 / Math.sqrt(s.d)],
    ['u32', c.sinOff], ['u32', cache.len], ['u32', cache.kOff], ['u32', cache.vOff],
    ['u32', step], ['u32', 0], ['u32', 0], ['u32', 0],
  ]);
  rt.dispatch({ shader: 'lm_attention', entry: 'decode', label, defines: c.defines, uniforms: u, buffers: [x.qkv, x.rope, x.att, null, null, null, null, null, x.lens, x.cache], workgroups: [cdiv(s.b * s.nh, 64)] });
}

/** Prefill: k and v of positions 0..t−1 of qkv [b·t, QKV] into the cache (after the forward rotated k in place). */
export function encodeLmKvFill(rt: GpuRuntime, x: { qkv: GpuTensor; rope: GpuTensor; cache: GpuTensor }, s: LmAttentionShape, cache: KvCacheLayout): void {
  const label = `lm_kv_fill(b=${s.b},t=${s.t},kv_heads=${s.nkv},d=${s.d})`;
  const c = prepare(s, label, x.rope, s.t);
  if (s.t > cache.len) throw new GpuKernelError(label, `t=${s.t} does not fit a cache of ${cache.len} positions`);
  atLeast(label, 'qkv', x.qkv, s.b * s.t * qkvWidth(s));
  atLeast(label, 'cache', x.cache, Math.max(cache.kOff, cache.vOff) + s.b * s.nkv * cache.len * s.d);
  rt.dispatch({
    shader: 'lm_attention',
    entry: 'kv_fill',
    label,
    defines: c.defines,
    uniforms: params(s, c.sinOff, { cacheLen: cache.len, kOff: cache.kOff, vOff: cache.vOff, rows: s.b }),
    buffers: [x.qkv, null, null, null, null, null, null, null, null, x.cache],
    workgroups: grid(cdiv(s.b * s.t * s.nkv * s.d, 64)),
  });
}
