/**
 * The workspace file: every IndexedDB record of the workbench in one file, written and
 * read as a stream so a workspace with a million-node graph or large checkpoints never
 * has to sit in memory whole.
 *
 * Layout: an 8-byte signature, then frames. Each frame is
 *
 *   kind (1 byte) · payload length (u32 LE) · payload · CRC-32 of the previous three (u32 LE)
 *
 *   'H'  header (JSON): format name and version, the database schema version it was written
 *        at, and each object store with its key path and indexes
 *   'R'  one record (JSON): store name, the key when the store has no key path, the value,
 *        and how many binary frames follow it
 *   'B'  one binary payload of the record before it (typed arrays, ArrayBuffers, Blobs are
 *        stored raw, not as JSON numbers)
 *   'E'  end (JSON): records per store and binary count, checked against what was read
 *
 * The signature starts with a non-ASCII byte and holds CR LF and ^Z (the PNG trick), so a
 * file mangled by a text-mode transfer is caught at byte 0. A flipped bit anywhere fails a
 * frame's CRC; a cut-off file lacks its end frame.
 *
 * Values are structured-clone data; JSON alone would lose typed arrays, ArrayBuffer, Blob,
 * Date, Map, Set, undefined, NaN, ±Infinity, -0 and bigint, so these are written as tagged
 * objects {"$t": …} (a plain object that itself has a "$t" key is wrapped, so nothing is
 * ambiguous). This module is pure: no IndexedDB, runs in Node and the browser alike.
 */

export const WORKSPACE_FORMAT = 'fleming-workbench-workspace';
export const WORKSPACE_FORMAT_VERSION = 1;
export const SIGNATURE = Uint8Array.of(0x89, 0x46, 0x57, 0x53, 0x0d, 0x0a, 0x1a, 0x0a); // \x89 F W S \r \n ^Z \n
export const FRAME = { header: 0x48, record: 0x52, binary: 0x42, end: 0x45 } as const;
/** a single frame's payload may not exceed this (u32 length; also a sanity bound when reading) */
export const MAX_FRAME_BYTES = 0xffff_fff0;

export interface StoreSchema {
  name: string;
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexes: { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }[];
}

export interface WorkspaceHeader {
  format: typeof WORKSPACE_FORMAT;
  formatVersion: number;
  /** the IndexedDB schema version (DB_VERSION) the records were written at */
  schemaVersion: number;
  createdAt: string;
  app: string;
  stores: StoreSchema[];
  /** what was deliberately left out, in words (e.g. the built-in graph's cache) */
  excluded?: string[];
}

export interface WorkspaceEnd {
  records: Record<string, number>;
  binaries: number;
  binaryBytes: number;
}

export interface WorkspaceRecord {
  store: string;
  /** only for stores without a key path (out-of-line keys) */
  key?: IDBValidKey;
  value: unknown;
  /** bytes the record took in the file (set when read), to bound what is buffered */
  size?: number;
}

/** A workspace file that cannot be read: says where and why. Nothing was written. */
export class WorkspaceFileError extends Error {
  override name = 'WorkspaceFileError';
}

// ---------------------------------------------------------------- CRC-32 (IEEE 802.3)

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Incremental CRC-32: start with 0, feed chunks, the result is the CRC of their concatenation. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

// ---------------------------------------------------------------- value codec

const TYPED_ARRAYS = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

/** What a binary placeholder stands for. */
type BinaryKind = TypedArrayName | 'ArrayBuffer' | 'DataView' | 'Blob' | 'File';

/** A binary payload collected while encoding one record: bytes, or a Blob to be read later. */
export type BinaryPart = Uint8Array | Blob;

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/**
 * Encode a structured-clone value as JSON-safe data; binary payloads are appended to
 * `binaries` and referenced by index. `where` names the value in error messages.
 */
export function encodeValue(v: unknown, binaries: BinaryPart[], where: string): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $t: 'num', v: 'NaN' };
    if (v === Infinity) return { $t: 'num', v: 'Infinity' };
    if (v === -Infinity) return { $t: 'num', v: '-Infinity' };
    if (Object.is(v, -0)) return { $t: 'num', v: '-0' };
    return v;
  }
  if (v === undefined) return { $t: 'undef' };
  if (typeof v === 'bigint') return { $t: 'bigint', v: v.toString() };
  if (typeof v !== 'object') throw new Error(`${where}: a ${typeof v} cannot be stored in a workspace file`);
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = encodeValue(v[i], binaries, where);
    return out;
  }
  if (v instanceof ArrayBuffer) {
    binaries.push(new Uint8Array(v.slice(0)));
    return { $t: 'bin', c: 'ArrayBuffer', i: binaries.length - 1 };
  }
  if (ArrayBuffer.isView(v)) {
    const c = (v instanceof DataView ? 'DataView' : v.constructor.name) as BinaryKind;
    if (c !== 'DataView' && !(c in TYPED_ARRAYS)) throw new Error(`${where}: unsupported binary view ${c}`);
    // copy the view's own bytes only (a view may sit inside a larger buffer)
    binaries.push(new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer));
    return { $t: 'bin', c, i: binaries.length - 1 };
  }
  if (typeof Blob !== 'undefined' && v instanceof Blob) {
    binaries.push(v);
    const file = typeof File !== 'undefined' && v instanceof File ? { name: v.name, lastModified: v.lastModified } : null;
    return { $t: 'bin', c: file ? 'File' : 'Blob', i: binaries.length - 1, type: v.type, ...(file ?? {}) };
  }
  if (v instanceof Date) return { $t: 'date', v: v.getTime() };
  if (v instanceof Map) return { $t: 'map', v: [...v].map(([k, x]) => [encodeValue(k, binaries, where), encodeValue(x, binaries, where)]) };
  if (v instanceof Set) return { $t: 'set', v: [...v].map((x) => encodeValue(x, binaries, where)) };
  if (v instanceof RegExp) return { $t: 're', source: v.source, flags: v.flags };
  if (!isPlainObject(v)) throw new Error(`${where}: a ${v.constructor?.name ?? 'non-plain'} object cannot be stored in a workspace file`);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = encodeValue(x, binaries, where);
  // an object of our own with a "$t" key is wrapped so it is never read as a tag
  return '$t' in out ? { $t: 'obj', v: out } : out;
}

/** The inverse of encodeValue; `binaries` are the record's payloads in order. */
export function decodeValue(v: unknown, binaries: Uint8Array[], where: string): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => decodeValue(x, binaries, where));
  const o = v as Record<string, unknown>;
  if (!('$t' in o)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = decodeValue(x, binaries, where);
    return out;
  }
  switch (o.$t) {
    case 'num':
      return o.v === 'NaN' ? NaN : o.v === 'Infinity' ? Infinity : o.v === '-Infinity' ? -Infinity : -0;
    case 'undef':
      return undefined;
    case 'bigint':
      return BigInt(String(o.v));
    case 'date':
      return new Date(Number(o.v));
    case 'map':
      return new Map((o.v as [unknown, unknown][]).map(([k, x]) => [decodeValue(k, binaries, where), decodeValue(x, binaries, where)]));
    case 'set':
      return new Set((o.v as unknown[]).map((x) => decodeValue(x, binaries, where)));
    case 're':
      return new RegExp(String(o.source), String(o.flags));
    case 'obj': {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o.v as Record<string, unknown>)) out[k] = decodeValue(x, binaries, where);
      return out;
    }
    case 'bin': {
      const bytes = binaries[Number(o.i)];
      if (!bytes) throw new WorkspaceFileError(`${where}: binary payload ${String(o.i)} is missing`);
      const c = String(o.c) as BinaryKind;
      const buf = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
      if (c === 'ArrayBuffer') return buf;
      if (c === 'DataView') return new DataView(buf);
      if (c === 'Blob') return new Blob([buf], { type: String(o.type ?? '') });
      if (c === 'File') return new File([buf], String(o.name ?? 'file'), { type: String(o.type ?? ''), lastModified: Number(o.lastModified ?? 0) });
      const Ctor = TYPED_ARRAYS[c as TypedArrayName];
      if (!Ctor) throw new WorkspaceFileError(`${where}: unknown binary kind ${c}`);
      if (buf.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw new WorkspaceFileError(`${where}: ${c} payload of ${buf.byteLength} bytes is not a whole number of elements`);
      return new Ctor(buf);
    }
    default:
      throw new WorkspaceFileError(`${where}: unknown tag ${JSON.stringify(o.$t)}`);
  }
}

// ---------------------------------------------------------------- writing

const enc = new TextEncoder();

/** A frame's header bytes (kind + length) and a CRC slot to fill once the payload is known. */
function frameHead(kind: number, length: number): Uint8Array {
  if (length > MAX_FRAME_BYTES) throw new Error(`a payload of ${length} bytes is too large for one frame`);
  const h = new Uint8Array(5);
  h[0] = kind;
  new DataView(h.buffer).setUint32(1, length, true);
  return h;
}

function u32(x: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, x >>> 0, true);
  return b;
}

/** A Blob payload whose CRC is computed after the database transaction (reading a Blob is async). */
interface PendingBlob {
  head: Uint8Array;
  blob: Blob;
  crc: Uint8Array;
}

/**
 * Builds a workspace file as a list of parts (bytes, Blobs). Bytes are folded into Blobs
 * every few MB so the browser can keep them out of the JS heap (Chromium pages large
 * Blobs to disk). Everything but finish() is synchronous, so it can be fed from inside an
 * IndexedDB transaction (which closes if the code awaits anything else).
 */
export class WorkspaceWriter {
  private parts: (Uint8Array | Blob)[] = [];
  private blobs: Blob[] = [];
  private partBytes = 0;
  private pending: PendingBlob[] = [];
  private counts: Record<string, number> = {};
  private binaries = 0;
  private binaryBytes = 0;
  /** bytes written so far (for progress) */
  bytes = 0;

  constructor(header: WorkspaceHeader, private readonly foldBytes = 8 << 20) {
    this.push(SIGNATURE);
    this.frame(FRAME.header, enc.encode(JSON.stringify(header)));
  }

  /** Add one record (value encoded here; throws naming the record if it cannot be stored). */
  add(store: string, value: unknown, key?: IDBValidKey): void {
    const where = `${store} record ${key !== undefined ? JSON.stringify(key) : ''}`.trim();
    const binaries: BinaryPart[] = [];
    const v = encodeValue(value, binaries, where);
    const k = key === undefined ? undefined : encodeValue(key, binaries, where);
    const rec: Record<string, unknown> = { s: store, v, n: binaries.length };
    if (k !== undefined) rec.k = k;
    this.frame(FRAME.record, enc.encode(JSON.stringify(rec)));
    for (const b of binaries) {
      this.binaries++;
      if (b instanceof Uint8Array) {
        this.binaryBytes += b.byteLength;
        this.frame(FRAME.binary, b);
      } else {
        this.binaryBytes += b.size;
        const head = frameHead(FRAME.binary, b.size);
        const crc = new Uint8Array(4);
        this.pending.push({ head, blob: b, crc });
        this.push(head);
        this.push(b);
        this.push(crc);
      }
    }
    this.counts[store] = (this.counts[store] ?? 0) + 1;
  }

  get recordCounts(): Readonly<Record<string, number>> {
    return this.counts;
  }

  /** Writes the end frame, fills the CRCs of Blob payloads, and returns the whole file. */
  async finish(): Promise<Blob> {
    const end: WorkspaceEnd = { records: this.counts, binaries: this.binaries, binaryBytes: this.binaryBytes };
    this.frame(FRAME.end, enc.encode(JSON.stringify(end)));
    for (const p of this.pending) {
      let crc = crc32(p.head);
      const reader = p.blob.stream().getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        crc = crc32(value, crc);
      }
      p.crc.set(u32(crc));
    }
    // only now may parts holding a pending CRC slot be folded
    this.blobs.push(new Blob(this.parts as BlobPart[]));
    this.parts = [];
    return new Blob(this.blobs);
  }

  private frame(kind: number, payload: Uint8Array): void {
    const head = frameHead(kind, payload.byteLength);
    this.push(head);
    this.push(payload);
    this.push(u32(crc32(payload, crc32(head))));
  }

  private push(p: Uint8Array | Blob): void {
    this.parts.push(p);
    const n = p instanceof Uint8Array ? p.byteLength : p.size;
    this.bytes += n;
    this.partBytes += n;
    // fold finished bytes into a Blob, unless a CRC slot in them is still to be filled
    if (this.partBytes >= this.foldBytes && this.pending.length === 0) {
      this.blobs.push(new Blob(this.parts as BlobPart[]));
      this.parts = [];
      this.partBytes = 0;
    }
  }
}

// ---------------------------------------------------------------- reading

/** Reads exact byte counts from a stream of chunks, tracking the file offset for messages. */
class ByteReader {
  private chunks: Uint8Array[] = [];
  private have = 0;
  private done = false;
  offset = 0;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** n bytes; at a clean end of file null when `eofOk`, else a WorkspaceFileError; throws when the file ends inside them. */
  async read(n: number, what: string, eofOk = false): Promise<Uint8Array | null> {
    while (this.have < n && !this.done) {
      const { value, done } = await this.reader.read();
      if (done) this.done = true;
      else if (value.byteLength) {
        this.chunks.push(value);
        this.have += value.byteLength;
      }
    }
    if (eofOk && this.have === 0 && n > 0 && this.done) return null;
    if (this.have < n) throw new WorkspaceFileError(`The file ends early, at byte ${(this.offset + this.have).toLocaleString('en')}, inside ${what}: it was cut off (an incomplete download or copy).`);
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const c = this.chunks[0]!;
      const take = Math.min(c.byteLength, n - at);
      out.set(c.subarray(0, take), at);
      at += take;
      if (take === c.byteLength) this.chunks.shift();
      else this.chunks[0] = c.subarray(take);
    }
    this.have -= n;
    this.offset += n;
    return out;
  }

  cancel(): void {
    void this.reader.cancel().catch(() => {});
  }
}

interface Frame {
  kind: number;
  payload: Uint8Array;
  /** file offset of the frame's first byte */
  at: number;
}

async function readFrame(r: ByteReader, index: number): Promise<Frame | null> {
  const at = r.offset;
  const head = await r.read(5, `frame ${index}`, true);
  if (!head) return null;
  const kind = head[0]!;
  if (!Object.values(FRAME).includes(kind as (typeof FRAME)[keyof typeof FRAME])) {
    throw new WorkspaceFileError(`Byte ${at.toLocaleString('en')}: frame ${index} has an unknown kind (0x${kind.toString(16)}): the file is damaged.`);
  }
  const length = new DataView(head.buffer).getUint32(1, true);
  if (length > MAX_FRAME_BYTES) throw new WorkspaceFileError(`Byte ${at.toLocaleString('en')}: frame ${index} claims ${length} bytes: the file is damaged.`);
  const payload = (await r.read(length, `frame ${index}`))!;
  const crcBytes = (await r.read(4, `the checksum of frame ${index}`))!;
  const want = new DataView(crcBytes.buffer).getUint32(0, true);
  const got = crc32(payload, crc32(head));
  if (got !== want) {
    throw new WorkspaceFileError(`Byte ${at.toLocaleString('en')}: frame ${index} (${String.fromCharCode(kind)}) fails its checksum (CRC-32 ${got.toString(16)} ≠ ${want.toString(16)}): the file is damaged.`);
  }
  return { kind, payload, at };
}

const dec = new TextDecoder('utf-8', { fatal: true });

function parseJson(f: Frame, what: string): unknown {
  try {
    return JSON.parse(dec.decode(f.payload));
  } catch (e) {
    throw new WorkspaceFileError(`Byte ${f.at.toLocaleString('en')}: the ${what} is not valid JSON (${(e as Error).message}).`);
  }
}

function checkHeader(h: unknown): WorkspaceHeader {
  const x = h as Partial<WorkspaceHeader>;
  if (x?.format !== WORKSPACE_FORMAT) throw new WorkspaceFileError(`This is not a Fleming Workbench workspace file (format ${JSON.stringify(x?.format)}).`);
  if (typeof x.formatVersion !== 'number' || x.formatVersion > WORKSPACE_FORMAT_VERSION) {
    throw new WorkspaceFileError(`The file uses workspace format version ${String(x.formatVersion)}; this app reads up to version ${WORKSPACE_FORMAT_VERSION}. Update the app to import it.`);
  }
  if (typeof x.schemaVersion !== 'number' || !Array.isArray(x.stores)) throw new WorkspaceFileError('The file header lacks its schema version or store list: the file is damaged.');
  return x as WorkspaceHeader;
}

/**
 * Reads a workspace file as a stream: first the header, then every record with its
 * binaries decoded, then the end frame is checked against what was read. Any damage
 * throws WorkspaceFileError naming the byte offset and cause; a consumer that writes
 * inside one transaction and aborts on a throw changes nothing.
 */
export async function* readWorkspace(stream: ReadableStream<Uint8Array>): AsyncGenerator<{ header: WorkspaceHeader } | { record: WorkspaceRecord }, WorkspaceEnd> {
  const r = new ByteReader(stream.getReader());
  try {
    const sig = await r.read(SIGNATURE.length, 'the file signature', true);
    if (!sig || sig.some((b, i) => b !== SIGNATURE[i])) {
      throw new WorkspaceFileError('This is not a Fleming Workbench workspace file (its first bytes are not the workspace signature), or it was altered by a text-mode transfer.');
    }
    let index = 0;
    const first = await readFrame(r, index++);
    if (!first) throw new WorkspaceFileError('The file ends right after its signature: it was cut off (an incomplete download or copy).');
    if (first.kind !== FRAME.header) throw new WorkspaceFileError('The file does not start with its header frame: it is damaged.');
    const header = checkHeader(parseJson(first, 'header'));
    yield { header };
    const known = new Set(header.stores.map((s) => s.name));
    const counts: Record<string, number> = {};
    let binaries = 0;
    let binaryBytes = 0;
    for (;;) {
      const f = await readFrame(r, index++);
      if (!f) throw new WorkspaceFileError(`The file ends after ${(index - 1).toLocaleString('en')} frames without its end frame: it was cut off (an incomplete download or copy).`);
      if (f.kind === FRAME.end) {
        const end = parseJson(f, 'end frame') as WorkspaceEnd;
        const mismatch = Object.keys({ ...end.records, ...counts }).filter((s) => (end.records?.[s] ?? 0) !== (counts[s] ?? 0));
        if (mismatch.length || end.binaries !== binaries || end.binaryBytes !== binaryBytes) {
          throw new WorkspaceFileError(`The file's contents do not match its end frame (${mismatch.map((s) => `${s}: ${counts[s] ?? 0} read, ${end.records?.[s] ?? 0} listed`).join('; ') || `binaries ${binaries}/${end.binaries}`}): the file is damaged.`);
        }
        if ((await r.read(1, 'trailing data', true)) !== null) throw new WorkspaceFileError(`Byte ${r.offset.toLocaleString('en')}: data after the end frame: the file is damaged.`);
        return end;
      }
      if (f.kind !== FRAME.record) throw new WorkspaceFileError(`Byte ${f.at.toLocaleString('en')}: a binary payload without its record: the file is damaged.`);
      const rec = parseJson(f, `record frame ${index - 1}`) as { s?: unknown; k?: unknown; v?: unknown; n?: unknown };
      if (typeof rec.s !== 'string' || !known.has(rec.s) || typeof rec.n !== 'number' || rec.n < 0 || !('v' in rec)) {
        throw new WorkspaceFileError(`Byte ${f.at.toLocaleString('en')}: record frame ${index - 1} is malformed (store ${JSON.stringify(rec.s)}).`);
      }
      const payloads: Uint8Array[] = [];
      for (let i = 0; i < rec.n; i++) {
        const b = await readFrame(r, index++);
        if (!b || b.kind !== FRAME.binary) throw new WorkspaceFileError(`Byte ${(b?.at ?? r.offset).toLocaleString('en')}: record frame ${index - 2 - i} lacks binary payload ${i + 1} of ${rec.n}: the file is damaged.`);
        payloads.push(b.payload);
        binaries++;
        binaryBytes += b.payload.byteLength;
      }
      const where = `${rec.s} record at byte ${f.at.toLocaleString('en')}`;
      const value = decodeValue(rec.v, payloads, where);
      const record: WorkspaceRecord = { store: rec.s, value, size: f.payload.byteLength + payloads.reduce((n, p) => n + p.byteLength, 0) };
      if (rec.k !== undefined) record.key = decodeValue(rec.k, payloads, where) as IDBValidKey;
      counts[rec.s] = (counts[rec.s] ?? 0) + 1;
      yield { record };
    }
  } finally {
    r.cancel();
  }
}
