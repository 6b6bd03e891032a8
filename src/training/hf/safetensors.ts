/**
 * safetensors (https://github.com/huggingface/safetensors): 8-byte little-endian header length N,
 * N bytes of JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}`,
 * then the raw little-endian tensor bytes, offsets relative to the end of the header.
 * We write F32; we read F32, F16, BF16 and F64 into Float32Array. The header is checked the way
 * the reference Rust crate checks it, and every error names the file and the tensor.
 */

export type SafetensorsSource = Uint8Array | Blob;

export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
  F8_E4M3: 1, F8_E5M2: 1, F8_E8M0: 1, F6_E2M3: 1, F6_E3M2: 1, F4: 1, C64: 8,
};
/** dtypes we convert to float32 */
export const READABLE_DTYPES = ['F32', 'F16', 'BF16', 'F64'] as const;

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** byte offsets within the data section */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  tensors: TensorInfo[];
  metadata: Record<string, string>;
  /** byte offset of the data section in the file (8 + N) */
  dataStart: number;
  fileSize: number;
}

/** largest header the Rust crate accepts */
const MAX_HEADER = 100_000_000;

const sizeOf = (s: SafetensorsSource) => (s instanceof Uint8Array ? s.byteLength : s.size);

async function bytesOf(s: SafetensorsSource, begin: number, end: number): Promise<Uint8Array> {
  if (s instanceof Uint8Array) return s.subarray(begin, end);
  return new Uint8Array(await s.slice(begin, end).arrayBuffer());
}

/** Parse and validate the header: every tensor's dtype, shape and byte range, no gaps or overlaps. */
export async function readSafetensorsHeader(src: SafetensorsSource, fileName = 'model.safetensors'): Promise<SafetensorsHeader> {
  const fileSize = sizeOf(src);
  const bad = (what: string) => new Error(`${fileName}: ${what}`);
  if (fileSize < 8) throw bad(`only ${fileSize} bytes: too short to be a safetensors file (truncated download?)`);
  const lenBytes = await bytesOf(src, 0, 8);
  const n = Number(new DataView(lenBytes.buffer, lenBytes.byteOffset, 8).getBigUint64(0, true));
  if (n > MAX_HEADER) throw bad(`header length ${n} is implausible (over ${MAX_HEADER} bytes): not a safetensors file`);
  if (8 + n > fileSize) throw bad(`header says ${n} bytes but the file has only ${fileSize - 8} after the length: the file is truncated`);
  const headerBytes = await bytesOf(src, 8, 8 + n);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw bad('header is not valid UTF-8: not a safetensors file');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('header must be a JSON object');
  const metadata: Record<string, string> = {};
  const tensors: TensorInfo[] = [];
  for (const [name, v] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('__metadata__ must be an object of strings');
      for (const [k, s] of Object.entries(v)) {
        if (typeof s !== 'string') throw bad(`__metadata__.${k} must be a string, got ${JSON.stringify(s)}`);
        metadata[k] = s;
      }
      continue;
    }
    const t = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const where = `tensor "${name}"`;
    if (typeof t !== 'object' || t === null) throw bad(`${where} must be an object with dtype, shape and data_offsets`);
    if (typeof t.dtype !== 'string' || !(t.dtype in DTYPE_BYTES)) throw bad(`${where} has unknown dtype ${JSON.stringify(t.dtype)}`);
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0)) throw bad(`${where} has an invalid shape ${JSON.stringify(t.shape)} (a list of non-negative integers is expected)`);
    const off = t.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0) || off[0] > off[1])
      throw bad(`${where} has invalid data_offsets ${JSON.stringify(off)} ([begin, end] with begin ≤ end is expected)`);
    const shape = t.shape as number[];
    const numel = shape.reduce((a, b) => a * b, 1);
    const want = numel * DTYPE_BYTES[t.dtype]!;
    if (off[1] - off[0] !== want) throw bad(`${where}: ${t.dtype} ${JSON.stringify(shape)} needs ${want} bytes but data_offsets ${JSON.stringify(off)} span ${off[1] - off[0]}`);
    tensors.push({ name, dtype: t.dtype, shape, begin: off[0], end: off[1] });
  }
  // The data section must be covered exactly: sorted ranges, each starting where the last ended.
  const sorted = [...tensors].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const t of sorted) {
    if (t.begin < pos) throw bad(`tensor "${t.name}" overlaps the previous tensor (its data starts at ${t.begin}, before ${pos})`);
    if (t.begin > pos) throw bad(`tensor "${t.name}" starts at byte ${t.begin} but the previous data ends at ${pos}: the header leaves a gap`);
    pos = t.end;
  }
  const dataStart = 8 + n;
  const dataSize = fileSize - dataStart;
  if (pos !== dataSize)
    throw bad(pos > dataSize ? `the tensors need ${pos} data bytes but the file holds ${dataSize}: the file is truncated` : `the file has ${dataSize - pos} bytes after the last tensor: corrupt or not a safetensors file`);
  return { tensors, metadata, dataStart, fileSize };
}

/** IEEE half → float32 (subnormals, infinities and NaN included) */
export function f16ToF32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Convert one tensor's raw little-endian bytes to float32. */
export function toFloat32(bytes: Uint8Array, dtype: string, where: string): Float32Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32': {
      const out = new Float32Array(bytes.byteLength / 4);
      // copy (the source may be unaligned or part of a larger buffer)
      new Uint8Array(out.buffer).set(bytes);
      return out;
    }
    case 'BF16': {
      const n = bytes.byteLength / 2;
      const bits = new Uint32Array(n);
      for (let i = 0; i < n; i++) bits[i] = dv.getUint16(2 * i, true) << 16;
      return new Float32Array(bits.buffer);
    }
    case 'F16': {
      const n = bytes.byteLength / 2;
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = f16ToF32(dv.getUint16(2 * i, true));
      return out;
    }
    case 'F64': {
      const n = bytes.byteLength / 8;
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat64(8 * i, true);
      return out;
    }
    default:
      throw new Error(`${where} has dtype ${dtype}; only ${READABLE_DTYPES.join(', ')} weights can be loaded (integer or 8-bit dtypes mean a quantized checkpoint: pick the unquantized model)`);
  }
}

export interface LoadedTensor {
  dtype: string;
  shape: number[];
  data: Float32Array;
}

/** Read every tensor (or only `names`) as float32. A Blob is read one tensor at a time. */
export async function readSafetensors(
  src: SafetensorsSource,
  fileName = 'model.safetensors',
  opts: { names?: ReadonlySet<string>; onTensor?: (name: string, bytes: number) => void } = {},
): Promise<{ tensors: Map<string, LoadedTensor>; metadata: Record<string, string> }> {
  const h = await readSafetensorsHeader(src, fileName);
  const tensors = new Map<string, LoadedTensor>();
  for (const t of h.tensors) {
    if (opts.names && !opts.names.has(t.name)) continue;
    const bytes = await bytesOf(src, h.dataStart + t.begin, h.dataStart + t.end);
    tensors.set(t.name, { dtype: t.dtype, shape: t.shape, data: toFloat32(bytes, t.dtype, `${fileName}: tensor "${t.name}"`) });
    opts.onTensor?.(t.name, t.end - t.begin);
  }
  return { tensors, metadata: h.metadata };
}

/**
 * Write float32 tensors in the given order. `__metadata__` gets format "pt", which transformers
 * requires to load the file with from_pretrained.
 */
export function writeSafetensors(tensors: Iterable<{ name: string; shape: readonly number[]; data: Float32Array }>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', ...metadata } };
  const list = [...tensors];
  let offset = 0;
  const seen = new Set<string>();
  for (const t of list) {
    if (seen.has(t.name)) throw new Error(`writeSafetensors: tensor "${t.name}" given twice`);
    seen.add(t.name);
    if (t.name === '__metadata__') throw new Error('writeSafetensors: "__metadata__" is reserved and cannot be a tensor name');
    const numel = t.shape.reduce((a, b) => a * b, 1);
    if (numel !== t.data.length) throw new Error(`writeSafetensors: tensor "${t.name}" has ${t.data.length} values but shape ${JSON.stringify(t.shape)} needs ${numel}`);
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * numel] };
    offset += 4 * numel;
  }
  let text = JSON.stringify(header);
  // pad with spaces so the data starts 8-byte aligned, as the Rust writer does
  const enc = new TextEncoder();
  let hb = enc.encode(text);
  const pad = (8 - (hb.length % 8)) % 8;
  if (pad) {
    text += ' '.repeat(pad);
    hb = enc.encode(text);
  }
  const out = new Uint8Array(8 + hb.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let p = 8 + hb.length;
  for (const t of list) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), p);
    p += t.data.byteLength;
  }
  return out;
}
