/**
 * The workspace container on its own (no IndexedDB): every structured-clone value type a
 * store may hold comes back identical, and damage of any kind — a flipped bit, a cut-off
 * file, a wrong signature, a missing end frame, a newer format — is refused with a message
 * saying where and why.
 */
import { describe, expect, it } from 'vitest';
import { crc32, decodeValue, encodeValue, readWorkspace, SIGNATURE, WORKSPACE_FORMAT, WorkspaceFileError, WorkspaceWriter, type WorkspaceHeader, type WorkspaceRecord } from './workspace-format';

const header = (over: Partial<WorkspaceHeader> = {}): WorkspaceHeader => ({
  format: WORKSPACE_FORMAT,
  formatVersion: 1,
  schemaVersion: 4,
  createdAt: '2026-11-29T00:00:00Z',
  app: 'test',
  stores: [
    { name: 'a', keyPath: 'id', autoIncrement: false, indexes: [] },
    { name: 'kv', keyPath: null, autoIncrement: false, indexes: [] },
  ],
  ...over,
});

async function readAll(file: Blob): Promise<{ header: WorkspaceHeader; records: WorkspaceRecord[] }> {
  let h: WorkspaceHeader | null = null;
  const records: WorkspaceRecord[] = [];
  for await (const x of readWorkspace(file.stream())) {
    if ('header' in x) h = x.header;
    else records.push(x.record);
  }
  return { header: h!, records };
}

/** a stream that hands the bytes over in small uneven chunks, as a disk or network does */
function chunked(bytes: Uint8Array, size = 7): Blob {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size + (i % 3)) parts.push(bytes.slice(i, i + size + (i % 3)));
  return new Blob(parts as BlobPart[]);
}

const awkward = () => ({
  id: 'r1',
  text: 'ünïcödé ✓ "quoted" \n',
  nums: [1, -0, NaN, Infinity, -Infinity, 1e-300, 2 ** 53],
  nothing: undefined,
  nil: null,
  big: 12345678901234567890n,
  when: new Date('2026-01-02T03:04:05.678Z'),
  map: new Map<unknown, unknown>([['k', 1], [2, new Float32Array([1.5])]]),
  set: new Set(['x', 'y']),
  f32: Float32Array.from([0.1, -2.5, NaN]),
  u32: Uint32Array.from([0, 1, 0xffffffff]),
  i8: Int8Array.from([-128, 127]),
  f64: new Float64Array([Math.PI]),
  b64: BigInt64Array.from([-5n]),
  // a view into the middle of a larger buffer: only its own bytes are kept
  view: new Uint16Array(new Uint8Array(64).fill(7).buffer, 8, 4),
  buf: Uint8Array.from([9, 8, 7]).buffer,
  dv: new DataView(Uint8Array.from([1, 2, 3, 4]).buffer),
  nested: { $t: 'not a tag', deeper: { $t: 5 } },
  re: /a+b/gi,
  empty: new Uint8Array(0),
});

describe('workspace value codec', () => {
  it('round-trips every structured-clone type a store may hold', () => {
    const bins: (Uint8Array | Blob)[] = [];
    const v = awkward();
    const enc = encodeValue(v, bins, 'test');
    // survives JSON
    const back = decodeValue(JSON.parse(JSON.stringify(enc)), bins as Uint8Array[], 'test') as ReturnType<typeof awkward>;
    expect(back).toEqual(v);
    expect(Object.is(back.nums[1], -0)).toBe(true);
    expect(back.f32).toBeInstanceOf(Float32Array);
    expect(Number.isNaN(back.f32[2])).toBe(true);
    expect(back.view).toBeInstanceOf(Uint16Array);
    expect(back.view.length).toBe(4);
    expect(back.buf).toBeInstanceOf(ArrayBuffer);
    expect(back.nested).toEqual({ $t: 'not a tag', deeper: { $t: 5 } });
    expect('nothing' in back).toBe(true);
  });

  it('refuses what cannot be stored, naming the record', () => {
    expect(() => encodeValue({ f: () => 1 }, [], 'questions record "q1"')).toThrow('questions record "q1": a function cannot be stored');
    class Foo {}
    expect(() => encodeValue({ x: new Foo() }, [], 'w')).toThrow('a Foo object');
  });

  it('crc32 matches the standard check value and is incremental', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926);
    expect(crc32(bytes.subarray(4), crc32(bytes.subarray(0, 4)))).toBe(0xcbf43926);
  });
});

describe('workspace file', () => {
  async function sample(): Promise<Uint8Array> {
    const w = new WorkspaceWriter(header(), 64); // tiny fold size: exercises the Blob folding
    w.add('a', awkward());
    w.add('a', { id: 'r2', blob: new Blob(['hello blob'], { type: 'text/plain' }), big: new Float32Array(10_000).map((_, i) => i) });
    w.add('kv', 'the active graph', 'activeGraph');
    w.add('kv', { nested: [1, 2] }, ['compound', 3]);
    return new Uint8Array(await (await w.finish()).arrayBuffer());
  }

  it('writes and reads back header, records, out-of-line keys and binaries, from any chunking', async () => {
    const bytes = await sample();
    expect([...bytes.subarray(0, 8)]).toEqual([...SIGNATURE]);
    for (const file of [new Blob([bytes as BlobPart]), chunked(bytes)]) {
      const { header: h, records } = await readAll(file);
      expect(h.schemaVersion).toBe(4);
      expect(records.map((r) => [r.store, r.key])).toEqual([['a', undefined], ['a', undefined], ['kv', 'activeGraph'], ['kv', ['compound', 3]]]);
      expect(records[0]!.value).toEqual(awkward());
      const r2 = records[1]!.value as { blob: Blob; big: Float32Array };
      expect(await r2.blob.text()).toBe('hello blob');
      expect(r2.blob.type).toBe('text/plain');
      expect(r2.big[9999]).toBe(9999);
      expect(records[2]!.value).toBe('the active graph');
    }
  });

  const refuse = async (bytes: Uint8Array, message: RegExp) => {
    const err = await readAll(new Blob([bytes as BlobPart])).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkspaceFileError);
    expect((err as Error).message).toMatch(message);
  };

  it('refuses a flipped bit anywhere after the signature, naming the frame and byte', async () => {
    const bytes = await sample();
    // a sample of positions through the file, header to end frame
    for (const at of [9, 20, Math.floor(bytes.length / 3), Math.floor(bytes.length / 2), bytes.length - 30, bytes.length - 2]) {
      const bad = bytes.slice();
      bad[at]! ^= 0x10;
      await refuse(bad, /(fails its checksum|unknown kind|claims \d+ bytes|ends early|is damaged|cut off)/);
    }
    const bad = bytes.slice();
    bad[Math.floor(bytes.length / 2)]! ^= 1;
    await refuse(bad, /^Byte [\d,]+: frame \d+ \([HRBE]\) fails its checksum/);
  });

  it('refuses a cut-off file, wherever it is cut', async () => {
    const bytes = await sample();
    for (const n of [0, 5, 8, 12, 100, Math.floor(bytes.length / 2), bytes.length - 1]) {
      await refuse(bytes.slice(0, n), n === 0 ? /not a Fleming Workbench workspace file/ : /(cut off|ends early)/);
    }
  });

  it('refuses other files, text-mode mangling, newer formats and trailing data', async () => {
    await refuse(new TextEncoder().encode('{"questions": []}'), /not a Fleming Workbench workspace file/);
    const bytes = await sample();
    const crlf = bytes.slice();
    crlf[4] = 0x0a; // "\r\n" → "\n\n" as a text-mode copy would leave it
    await refuse(crlf, /text-mode transfer/);
    const w = new WorkspaceWriter(header({ formatVersion: 99 }));
    await refuse(new Uint8Array(await (await w.finish()).arrayBuffer()), /format version 99; this app reads up to version 1/);
    const trailing = new Uint8Array(bytes.length + 3);
    trailing.set(bytes);
    await refuse(trailing, /data after the end frame/);
  });

  it('refuses a record of a store the header does not list', async () => {
    const w = new WorkspaceWriter(header());
    w.add('elsewhere', { id: 1 });
    await refuse(new Uint8Array(await (await w.finish()).arrayBuffer()), /record frame 1 is malformed \(store "elsewhere"\)/);
  });
});
