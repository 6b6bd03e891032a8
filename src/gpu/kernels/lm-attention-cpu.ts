/**
 * CPU reference for shaders/lm_attention.wgsl, composed from the independently checked
 * references: unpack the packed projection, rotate q and k (ropeCpu), give every query head
 * its kv head (h / (nh / nkv)), causal attention (attentionForwardCpu / attentionBackwardCpu,
 * float64), merge heads; the backward sums dk, dv over the query heads sharing a kv head and
 * rotates dq, dk back.
 */
import { attentionBackwardCpu, attentionForwardCpu } from './attention-cpu';
import { ropeCpu } from './elementwise-cpu';

export interface LmAttentionShape {
  /** sequences (decode: rows) */
  b: number;
  /** tokens per sequence (decode: 1) */
  t: number;
  nh: number;
  nkv: number;
  d: number;
  theta: number;
}

/** heads [b, heads, t, d] of the packed [b·t, (nh+2nkv)·d] projection, starting at head column `first` */
function unpack(qkv: ArrayLike<number>, s: LmAttentionShape, first: number, heads: number): Float64Array {
  const w = (s.nh + 2 * s.nkv) * s.d;
  const out = new Float64Array(s.b * heads * s.t * s.d);
  for (let b = 0; b < s.b; b++)
    for (let h = 0; h < heads; h++)
      for (let t = 0; t < s.t; t++)
        for (let e = 0; e < s.d; e++) out[((b * heads + h) * s.t + t) * s.d + e] = qkv[(b * s.t + t) * w + (first + h) * s.d + e]!;
  return out;
}

/** kv heads expanded to one per query head */
function expand(kv: Float64Array, s: LmAttentionShape): Float64Array {
  const g = s.nh / s.nkv;
  const n = s.t * s.d;
  const out = new Float64Array(s.b * s.nh * n);
  for (let b = 0; b < s.b; b++) for (let h = 0; h < s.nh; h++) out.set(kv.subarray((b * s.nkv + Math.floor(h / g)) * n, (b * s.nkv + Math.floor(h / g) + 1) * n), (b * s.nh + h) * n);
  return out;
}

function rotate(x: ArrayLike<number>, s: LmAttentionShape, heads: number, sign: 1 | -1): Float64Array {
  return Float64Array.from(ropeCpu(x, { rows: s.b * heads, t: s.t, d: s.d, theta: s.theta }, sign));
}

/** [b, nh, t, d] → [b·t, nh·d] */
function merge(o: ArrayLike<number>, s: LmAttentionShape): Float32Array {
  const out = new Float32Array(s.b * s.t * s.nh * s.d);
  for (let b = 0; b < s.b; b++)
    for (let h = 0; h < s.nh; h++)
      for (let t = 0; t < s.t; t++)
        for (let e = 0; e < s.d; e++) out[(b * s.t + t) * s.nh * s.d + h * s.d + e] = o[((b * s.nh + h) * s.t + t) * s.d + e]!;
  return out;
}

function split(att: ArrayLike<number>, s: LmAttentionShape): Float64Array {
  const out = new Float64Array(s.b * s.nh * s.t * s.d);
  for (let b = 0; b < s.b; b++)
    for (let h = 0; h < s.nh; h++)
      for (let t = 0; t < s.t; t++)
        for (let e = 0; e < s.d; e++) out[((b * s.nh + h) * s.t + t) * s.d + e] = att[(b * s.t + t) * s.nh * s.d + h * s.d + e]!;
  return out;
}

export function lmAttentionForwardCpu(qkv: ArrayLike<number>, s: LmAttentionShape): Float32Array {
  const q = rotate(unpack(qkv, s, 0, s.nh), s, s.nh, 1);
  const k = expand(rotate(unpack(qkv, s, s.nh, s.nkv), s, s.nkv, 1), s);
  const v = expand(unpack(qkv, s, s.nh + s.nkv, s.nkv), s);
  return merge(attentionForwardCpu(q, k, v, { b: s.b, h: s.nh, t: s.t, d: s.d, causal: true }), s);
}

/** dqkv, packed like qkv */
export function lmAttentionBackwardCpu(qkv: ArrayLike<number>, datt: ArrayLike<number>, s: LmAttentionShape): Float32Array {
  const q = rotate(unpack(qkv, s, 0, s.nh), s, s.nh, 1);
  const k = expand(rotate(unpack(qkv, s, s.nh, s.nkv), s, s.nkv, 1), s);
  const v = expand(unpack(qkv, s, s.nh + s.nkv, s.nkv), s);
  const g = attentionBackwardCpu(q, k, v, split(datt, s), { b: s.b, h: s.nh, t: s.t, d: s.d, causal: true });
  const n = s.t * s.d;
  const dk = new Float64Array(s.b * s.nkv * n);
  const dv = new Float64Array(s.b * s.nkv * n);
  const group = s.nh / s.nkv;
  for (let b = 0; b < s.b; b++)
    for (let h = 0; h < s.nh; h++) {
      const dst = (b * s.nkv + Math.floor(h / group)) * n;
      for (let i = 0; i < n; i++) {
        dk[dst + i]! += g.dk[(b * s.nh + h) * n + i]!;
        dv[dst + i]! += g.dv[(b * s.nh + h) * n + i]!;
      }
    }
  const dq = rotate(g.dq, s, s.nh, -1);
  const dkr = rotate(dk, s, s.nkv, -1);
  const w = (s.nh + 2 * s.nkv) * s.d;
  const out = new Float32Array(s.b * s.t * w);
  const put = (src: Float64Array, heads: number, first: number) => {
    for (let b = 0; b < s.b; b++)
      for (let h = 0; h < heads; h++)
        for (let t = 0; t < s.t; t++)
          for (let e = 0; e < s.d; e++) out[(b * s.t + t) * w + (first + h) * s.d + e] = src[((b * heads + h) * s.t + t) * s.d + e]!;
  };
  put(dq, s.nh, 0);
  put(dkr, s.nkv, s.nh);
  put(dv, s.nkv, s.nh + s.nkv);
  return out;
}

/**
 * Decode reference: row b's new token (qkv row b) at position pos_b = lens[b] + step attends
 * over keys/values 0..pos_b−1 taken from `history` (each row's full packed projections of the
 * earlier positions, [pos_b, QKV] per row) and itself. Returns att [rows, nh·d].
 */
export function lmDecodeCpu(qkv: ArrayLike<number>, history: ArrayLike<number>[], s: LmAttentionShape, positions: number[]): Float32Array {
  const w = (s.nh + 2 * s.nkv) * s.d;
  const out = new Float32Array(s.b * s.nh * s.d);
  for (let b = 0; b < s.b; b++) {
    const pos = positions[b]!;
    // the whole sequence up to pos as one causal batch of 1; its last row is the decode result
    const seq = new Float64Array((pos + 1) * w);
    seq.set(Array.from(history[b]!).slice(0, pos * w));
    for (let e = 0; e < w; e++) seq[pos * w + e] = qkv[b * w + e]!;
    const att = lmAttentionForwardCpu(seq, { ...s, b: 1, t: pos + 1 });
    out.set(att.subarray(pos * s.nh * s.d), b * s.nh * s.d);
  }
  return out;
}
