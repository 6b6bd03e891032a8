import { describe, expect, it } from 'vitest';
import { f16ToF32, readSafetensors, readSafetensorsHeader, writeSafetensors } from './safetensors';

/** A safetensors file with hand-written raw tensor bytes. */
function file(tensors: Array<{ name: string; dtype: string; shape: number[]; bytes: Uint8Array }>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let off = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + t.bytes.length] };
    off += t.bytes.length;
  }
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  let p = 8 + h.length;
  for (const t of tensors) (out.set(t.bytes, p), (p += t.bytes.length));
  return out;
}
const u16 = (xs: number[]) => {
  const b = new Uint8Array(xs.length * 2);
  xs.forEach((x, i) => new DataView(b.buffer).setUint16(2 * i, x, true));
  return b;
};

describe('safetensors', () => {
  it('reads BF16, F16 and F64 into float32 exactly', async () => {
    // bf16: 1.0, -2.5, 3.140625 (0x4049), largest finite, -inf
    const bf16 = [0x3f80, 0xc020, 0x4049, 0x7f7f, 0xff80];
    // f16: 1.0, -2.0, 65504 (max), smallest subnormal 2^-24, +inf, 0.333251953125 (0x3555)
    const f16 = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x3555];
    const f64 = new Float64Array([0.1, -1e-3, 12345.678]);
    const f = file([
      { name: 'a', dtype: 'BF16', shape: [5], bytes: u16(bf16) },
      { name: 'b', dtype: 'F16', shape: [2, 3], bytes: u16(f16) },
      { name: 'c', dtype: 'F64', shape: [3], bytes: new Uint8Array(f64.buffer) },
    ]);
    const { tensors } = await readSafetensors(f);
    expect(Array.from(tensors.get('a')!.data)).toEqual([1, -2.5, 3.140625, 3.3895313892515355e38, -Infinity]);
    expect(Array.from(tensors.get('b')!.data)).toEqual([1, -2, 65504, 2 ** -24, Infinity, 0.333251953125]);
    expect(tensors.get('b')!.shape).toEqual([2, 3]);
    expect(Array.from(tensors.get('c')!.data)).toEqual(Array.from(new Float32Array(f64)));
    expect(f16ToF32(0xfe00)).toBeNaN();
    expect(Object.is(f16ToF32(0x8000), -0)).toBe(true);
  });

  it('writes F32 with __metadata__ format "pt", 8-byte aligned data, and reads it back (also from a Blob, unaligned offsets)', async () => {
    const a = new Float32Array([1.5, -2, 3e-8]);
    const b = new Float32Array([7]);
    const bytes = writeSafetensors([{ name: 'x.weight', shape: [3], data: a }, { name: 'y', shape: [1, 1], data: b }], { note: 'hi' });
    const h = await readSafetensorsHeader(bytes);
    expect(h.metadata).toEqual({ format: 'pt', note: 'hi' });
    expect(h.dataStart % 8).toBe(0);
    expect(h.tensors.map((t) => [t.name, t.dtype, t.shape, t.begin, t.end])).toEqual([['x.weight', 'F32', [3], 0, 12], ['y', 'F32', [1, 1], 12, 16]]);
    // the same bytes inside a larger buffer at an odd offset
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    for (const src of [bytes, shifted.subarray(3), new Blob([bytes as BlobPart])]) {
      const { tensors } = await readSafetensors(src);
      expect(tensors.get('x.weight')!.data).toEqual(a);
      expect(tensors.get('y')!.data).toEqual(b);
    }
    expect(() => writeSafetensors([{ name: 'z', shape: [2, 2], data: new Float32Array(3) }])).toThrow(/tensor "z" has 3 values but shape \[2,2\] needs 4/);
  });

  it('reads an empty tensor and a file of metadata only', async () => {
    const f = file([{ name: 'e', dtype: 'F32', shape: [0, 4], bytes: new Uint8Array(0) }], { format: 'pt' });
    expect((await readSafetensors(f)).tensors.get('e')!.data.length).toBe(0);
    expect((await readSafetensors(file([], { format: 'pt' }))).metadata).toEqual({ format: 'pt' });
  });

  it('names bad metadata and trailing bytes', async () => {
    const f = file([{ name: 'a', dtype: 'F32', shape: [1], bytes: new Uint8Array(4) }], { n: 3 as unknown as string });
    await expect(readSafetensorsHeader(f, 'x.safetensors')).rejects.toThrow(/x.safetensors: __metadata__.n must be a string/);
    const g = file([{ name: 'a', dtype: 'F32', shape: [1], bytes: new Uint8Array(8) }]);
    const h = JSON.parse(new TextDecoder().decode(g.subarray(8, 8 + Number(new DataView(g.buffer).getBigUint64(0, true)))));
    expect(h.a.data_offsets).toEqual([0, 8]);
    await expect(readSafetensorsHeader(g)).rejects.toThrow(/F32 \[1\] needs 4 bytes but data_offsets \[0,8\] span 8/);
    const ok = writeSafetensors([{ name: 'a', shape: [2], data: new Float32Array(2) }]);
    const tail = new Uint8Array(ok.length + 6);
    tail.set(ok);
    await expect(readSafetensorsHeader(tail, 'y.safetensors')).rejects.toThrow(/y.safetensors: the file has 6 bytes after the last tensor/);
  });
});
