/** Embedding gather and gradient scatter-add on the GPU (shaders/embedding.wgsl); CPU reference in elementwise-cpu.ts. */
import { cdiv, GpuKernelError, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { expectLength, expectPositiveInts } from './check';

export interface EmbeddingShape {
  n: number;
  d: number;
  vocab: number;
}

const params = (s: EmbeddingShape) => uniforms([['u32', s.n], ['u32', s.d], ['u32', s.vocab], ['u32', 0]]);

/** Check ids on the CPU (they come from the tokenizer there): an out-of-range id is named, not read past the table. */
export function checkIds(ids: Uint32Array, vocab: number, label = 'embedding'): void {
  for (let i = 0; i < ids.length; i++) {
    if (ids[i]! >= vocab) throw new GpuKernelError(label, `ids[${i}] = ${ids[i]} is outside the vocabulary of ${vocab}`);
  }
}

export function encodeEmbeddingGather(rt: GpuRuntime, table: GpuTensor, ids: GpuTensor, out: GpuTensor, s: EmbeddingShape): void {
  const l = `embedding_gather(n=${s.n},d=${s.d},vocab=${s.vocab})`;
  expectPositiveInts(l, { n: s.n, d: s.d, vocab: s.vocab });
  expectLength(l, 'table', table.length, s.vocab * s.d);
  expectLength(l, 'ids', ids.length, s.n);
  expectLength(l, 'out', out.length, s.n * s.d);
  rt.dispatch({ shader: 'embedding', entry: 'gather', label: l, uniforms: params(s), buffers: [ids, table, out], workgroups: grid(cdiv(s.n * s.d, 64)) });
}

/** Record dtable += scatter(dout by ids). dtable accumulates: zero it first for a fresh gradient. */
export function encodeEmbeddingScatterAdd(rt: GpuRuntime, dout: GpuTensor, ids: GpuTensor, dtable: GpuTensor, s: EmbeddingShape): void {
  const l = `embedding_scatter_add(n=${s.n},d=${s.d},vocab=${s.vocab})`;
  expectPositiveInts(l, { n: s.n, d: s.d, vocab: s.vocab });
  expectLength(l, 'dout', dout.length, s.n * s.d);
  expectLength(l, 'ids', ids.length, s.n);
  expectLength(l, 'dtable', dtable.length, s.vocab * s.d);
  rt.dispatch({ shader: 'embedding', entry: 'scatter_add', label: l, uniforms: params(s), buffers: [ids, dout, null, dtable], workgroups: grid(cdiv(s.n * s.d, 64)) });
}

export async function embeddingGpu(rt: GpuRuntime, table: Float32Array, ids: Uint32Array, s: EmbeddingShape, dout?: Float32Array) {
  checkIds(ids, s.vocab);
  const tt = rt.upload(table, 'table');
  const ti = rt.upload(ids, 'ids');
  const out = rt.empty(s.n * s.d, 'out');
  const held = [tt, ti, out];
  try {
    encodeEmbeddingGather(rt, tt, ti, out, s);
    if (!dout) return { out: (await rt.read(out))[0]! };
    const td = rt.upload(dout, 'dout');
    const dtable = rt.zeros(s.vocab * s.d, 'dtable');
    held.push(td, dtable);
    encodeEmbeddingScatterAdd(rt, td, ti, dtable, s);
    const [ro, rd] = await rt.read(out, dtable);
    return { out: ro!, dtable: rd! };
  } finally {
    rt.release(...held);
  }
}
