/**
 * RMSNorm fused with the residual stream around it (shaders/lm_norm.wgsl): embedding + norm,
 * residual add + norm, the in-place backward into the residual gradient, the weight gradient
 * and the embedding scatter into the flat gradient buffer, and the prefill's last-row gather.
 * References: rmsnorm-cpu.ts and elementwise-cpu.ts (embedding), composed in lm-norm-cpu.ts.
 */
import { cdiv, GpuKernelError, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { expectPositiveInts } from './check';

export interface LmNormShape {
  rows: number;
  d: number;
  eps: number;
}

function atLeast(label: string, name: string, t: GpuTensor, n: number) {
  if (t.length < n) throw new GpuKernelError(label, `${name} has ${t.length} elements, needs ${n}`);
}

const u = (s: LmNormShape, o: { w?: number; tab?: number; id?: number; vocab?: number; t?: number; acc?: boolean }) =>
  uniforms([['u32', s.rows], ['u32', s.d], ['f32', s.eps], ['u32', o.w ?? 0], ['u32', o.tab ?? 0], ['u32', o.id ?? 0], ['u32', o.vocab ?? 0], ['u32', o.t ?? 0], ['u32', o.acc ? 1 : 0], ['u32', 0], ['u32', 0], ['u32', 0]]);

/** x = table[ids[idOff + r]], n = rmsnorm(x)·w; table and w in `params` at element offsets. */
export function encodeEmbedNorm(rt: GpuRuntime, x: { params: GpuTensor; ids: GpuTensor; out: GpuTensor; n: GpuTensor; rstd: GpuTensor }, s: LmNormShape, o: { table: number; w: number; vocab: number; idOff?: number }): void {
  const l = `lm_embed_norm(rows=${s.rows},d=${s.d})`;
  expectPositiveInts(l, { rows: s.rows, d: s.d, vocab: o.vocab });
  atLeast(l, 'ids', x.ids, (o.idOff ?? 0) + s.rows);
  atLeast(l, 'params', x.params, Math.max(o.table + o.vocab * s.d, o.w + s.d));
  for (const [k, t, n] of [['x', x.out, s.rows * s.d], ['n', x.n, s.rows * s.d], ['rstd', x.rstd, s.rows]] as const) atLeast(l, k, t, n);
  rt.dispatch({ shader: 'lm_norm', entry: 'embed_norm', label: l, uniforms: u(s, { w: o.w, tab: o.table, id: o.idOff, vocab: o.vocab }), buffers: [x.params, x.ids, null, null, x.out, x.n, x.rstd], workgroups: grid(cdiv(s.rows, 64)) });
}

/** out = xIn + y, n = rmsnorm(out)·w */
export function encodeAddNorm(rt: GpuRuntime, x: { params: GpuTensor; xIn: GpuTensor; y: GpuTensor; out: GpuTensor; n: GpuTensor; rstd: GpuTensor }, s: LmNormShape, w: number): void {
  const l = `lm_add_norm(rows=${s.rows},d=${s.d})`;
  expectPositiveInts(l, { rows: s.rows, d: s.d });
  if (x.xIn === x.out) throw new GpuKernelError(l, 'xIn and out must be different tensors');
  for (const [k, t] of [['xIn', x.xIn], ['y', x.y], ['out', x.out], ['n', x.n]] as const) atLeast(l, k, t, s.rows * s.d);
  atLeast(l, 'rstd', x.rstd, s.rows);
  rt.dispatch({ shader: 'lm_norm', entry: 'add_norm', label: l, uniforms: u(s, { w }), buffers: [x.params, null, x.xIn, x.y, x.out, x.n, x.rstd], workgroups: grid(cdiv(s.rows, 64)) });
}

/**
 * dx += ∂(rmsnorm(x)·w)/∂x · dn (dx = … when accumulate is false), and, when gradOff is given,
 * grads[gradOff..+d] += Σ_rows dn·x·rstd. (w read from params at wOff.)
 */
export function encodeNormBackward(rt: GpuRuntime, x: { params: GpuTensor; x: GpuTensor; rstd: GpuTensor; dn: GpuTensor; dx: GpuTensor; grads: GpuTensor | null }, s: LmNormShape, wOff: number, gradOff: number | null, accumulate = true): void {
  const l = `lm_norm_backward(rows=${s.rows},d=${s.d})`;
  expectPositiveInts(l, { rows: s.rows, d: s.d });
  for (const [k, t] of [['x', x.x], ['dn', x.dn], ['dx', x.dx]] as const) atLeast(l, k, t, s.rows * s.d);
  atLeast(l, 'rstd', x.rstd, s.rows);
  rt.dispatch({ shader: 'lm_norm', entry: 'norm_bw', label: `${l} dx`, uniforms: u(s, { w: wOff, acc: accumulate }), buffers: [x.params, null, x.x, x.dn, x.dx, null, null, x.rstd], workgroups: grid(cdiv(s.rows, 64)) });
  if (gradOff === null || !x.grads) return;
  atLeast(l, 'grads', x.grads, gradOff + s.d);
  rt.dispatch({ shader: 'lm_norm', entry: 'norm_dw', label: `${l} dw`, uniforms: u(s, { w: gradOff }), buffers: [null, null, x.x, x.dn, null, null, null, x.rstd, x.grads], workgroups: [cdiv(s.d, 64)] });
}

/** The positions of a micro-batch grouped by token id, for encodeEmbedScatter. */
export interface EmbedScatterCsr {
  /** [offsets (distinct + 1) | the distinct ids ascending | order]: the positions of the u-th id, ascending, at order[offsets[u]..offsets[u + 1]] */
  data: Uint32Array;
  /** how many distinct ids in [0, vocab) */
  distinct: number;
}

/** Groups positions by id (a stable counting sort); ids outside [0, vocab) are left out, their rows add nothing. */
export function embedScatterCsr(ids: ArrayLike<number>, vocab: number): EmbedScatterCsr {
  const start = new Uint32Array(vocab + 1); // start[v + 1] = count of v, then prefix sums
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r]!;
    if (id >= 0 && id < vocab) start[id + 1]!++;
  }
  let distinct = 0;
  for (let v = 0; v < vocab; v++) {
    if (start[v + 1]! > 0) distinct++;
    start[v + 1]! += start[v]!;
  }
  const total = start[vocab]!;
  const data = new Uint32Array(2 * distinct + 1 + total);
  const base = 2 * distinct + 1;
  let k = 0;
  for (let v = 0; v < vocab; v++) {
    if (start[v + 1] === start[v]) continue;
    data[k] = start[v]!;
    data[distinct + 1 + k] = v;
    k++;
  }
  data[distinct] = total;
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r]!;
    if (id >= 0 && id < vocab) data[base + start[id]!++] = r; // ascending r within each id
  }
  return { data, distinct };
}

/**
 * grads[table + v·d + j] += Σ dx[r, j] over the rows r with ids[r] = v, in ascending r: the same
 * bits every run (no atomics). `csr` holds embedScatterCsr(ids of these rows, vocab).data; one
 * thread per (distinct id, column), so never more threads than rows·d. Nothing to add when distinct = 0.
 */
export function encodeEmbedScatter(rt: GpuRuntime, x: { csr: GpuTensor; dx: GpuTensor; grads: GpuTensor }, s: { rows: number; d: number; vocab: number; distinct: number }, table: number): void {
  const l = `lm_embed_scatter(rows=${s.rows},d=${s.d},vocab=${s.vocab},distinct=${s.distinct})`;
  expectPositiveInts(l, { rows: s.rows, d: s.d, vocab: s.vocab });
  if (!Number.isInteger(s.distinct) || s.distinct < 0 || s.distinct > Math.min(s.rows, s.vocab)) throw new GpuKernelError(l, `distinct must be an integer in [0, min(rows, vocab)], got ${s.distinct}`);
  if (s.distinct === 0) return;
  atLeast(l, 'csr', x.csr, 2 * s.distinct + 1);
  atLeast(l, 'dx', x.dx, s.rows * s.d);
  atLeast(l, 'grads', x.grads, table + s.vocab * s.d);
  rt.dispatch({ shader: 'lm_norm', entry: 'embed_scatter', label: l, uniforms: u({ rows: s.distinct, d: s.d, eps: 0 }, { tab: table, vocab: s.vocab }), buffers: [null, x.csr, null, x.dx, null, null, null, null, x.grads], workgroups: grid(cdiv(s.distinct * s.d, 64)) });
}

/** out[b] = x[b·t + lens[b] − 1] for b < rows: each prompt's last position */
export function encodeGatherLast(rt: GpuRuntime, x: { x: GpuTensor; lens: GpuTensor; out: GpuTensor }, s: { rows: number; t: number; d: number }): void {
  const l = `lm_gather_last(rows=${s.rows},t=${s.t},d=${s.d})`;
  expectPositiveInts(l, s);
  atLeast(l, 'x', x.x, s.rows * s.t * s.d);
  atLeast(l, 'out', x.out, s.rows * s.d);
  rt.dispatch({ shader: 'lm_norm', entry: 'gather_rows', label: l, uniforms: u({ rows: s.rows, d: s.d, eps: 0 }, { t: s.t }), buffers: [null, x.lens, x.x, null, x.out], workgroups: [cdiv(s.rows * s.d, 64)] });
}

/** out[m] = x[idx[m]] (gather) or out[idx[m]] = x[m] (scatter; other rows of out untouched), rows of d floats, m < rows */
export function encodeRowIndex(rt: GpuRuntime, dir: 'gather' | 'scatter', x: { x: GpuTensor; idx: GpuTensor; out: GpuTensor }, s: { rows: number; d: number; total: number }): void {
  const l = `lm_${dir}_rows(rows=${s.rows} of ${s.total},d=${s.d})`;
  expectPositiveInts(l, { rows: s.rows, d: s.d, total: s.total });
  atLeast(l, 'idx', x.idx, s.rows);
  atLeast(l, dir === 'gather' ? 'x' : 'out', dir === 'gather' ? x.x : x.out, s.total * s.d);
  atLeast(l, dir === 'gather' ? 'out' : 'x', dir === 'gather' ? x.out : x.x, s.rows * s.d);
  rt.dispatch({ shader: 'lm_norm', entry: `${dir}_idx`, label: l, uniforms: u({ rows: s.rows, d: s.d, eps: 0 }, {}), buffers: [null, x.idx, x.x, null, x.out], workgroups: grid(cdiv(s.rows * s.d, 64)) });
}
