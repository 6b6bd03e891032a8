/**
 * Compression by magic bytes, not by file name (a renamed file still opens): gzip
 * through the platform's DecompressionStream, bzip2 through unbzip2-stream's block
 * decoder, xz through xz-decompress (WebAssembly). Each yields a byte stream, so a
 * compressed Hetionet (16 MB .bz2, ~750 MB of JSON) is never held whole.
 */
import bzip2 from 'unbzip2-stream/lib/bzip2.js';
import bitIterator from 'unbzip2-stream/lib/bit_iterator.js';
import * as xzModule from 'xz-decompress';
import { GraphFileError } from '../graph-file-error';

// xz-decompress is a UMD bundle: Node's ESM loader exposes it only as the default export.
type XzModule = typeof xzModule;
const XzReadableStream = (xzModule.XzReadableStream ?? (xzModule as unknown as { default: XzModule }).default.XzReadableStream) as XzModule['XzReadableStream'];

export type Compression = 'none' | 'gzip' | 'bzip2' | 'xz';

export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68 && head[3]! >= 0x31 && head[3]! <= 0x39) return 'bzip2';
  if (head.length >= 6 && head[0] === 0xfd && head[1] === 0x37 && head[2] === 0x7a && head[3] === 0x58 && head[4] === 0x5a && head[5] === 0x00) return 'xz';
  return 'none';
}

export function decompressed(raw: ReadableStream<Uint8Array>, kind: Compression): ReadableStream<Uint8Array> {
  switch (kind) {
    case 'none':
      return raw;
    case 'gzip':
      return raw.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
    case 'xz':
      return new XzReadableStream(raw);
    case 'bzip2':
      return raw.pipeThrough(bzip2Transform());
  }
}

/** Turns a decompressor's failure into the file-and-cause message the user sees. */
export function compressionError(file: string, kind: Compression, e: unknown): GraphFileError {
  const msg = (e as Error)?.message ?? String(e);
  return new GraphFileError(file, `${kind} stream`, `cannot decompress (${msg}); the file is truncated or corrupt`);
}

/**
 * bzip2 as a TransformStream, driving unbzip2-stream's decoder the way its own Node
 * stream wrapper does: decode a block only once enough input is buffered for it,
 * because the bit reader cannot wait for more input mid-block.
 */
function bzip2Transform(): TransformStream<Uint8Array, Uint8Array> {
  const queue: Uint8Array[] = [];
  let buffered = 0;
  let blockSize = 0;
  let streamCRC: number | null = null;
  let bits: ReturnType<typeof bitIterator> | null = null;
  let out = new Uint8Array(1 << 20);
  let n = 0;
  const write = (b: number) => {
    if (n === out.length) {
      const bigger = new Uint8Array(out.length * 2);
      bigger.set(out);
      out = bigger;
    }
    out[n++] = b;
  };
  const step = (controller: TransformStreamDefaultController<Uint8Array>) => {
    if (!blockSize) {
      blockSize = bzip2.header(bits!);
      streamCRC = 0;
      return;
    }
    const bufsize = 100000 * blockSize;
    n = 0;
    streamCRC = bzip2.decompress(bits!, write, new Int32Array(bufsize), bufsize, streamCRC);
    if (streamCRC === null) {
      blockSize = 0; // end of a bzip2 stream; another may follow (pbzip2 output)
      return;
    }
    controller.enqueue(out.slice(0, n));
  };
  return new TransformStream({
    transform(chunk, controller) {
      queue.push(chunk);
      buffered += chunk.length;
      bits ??= bitIterator(() => queue.shift());
      while (buffered - bits.bytesRead + 1 >= (25000 + 100000 * blockSize || 4)) step(controller);
    },
    flush(controller) {
      try {
        while (bits && buffered > bits.bytesRead) step(controller);
      } catch (e) {
        // the bit reader ran past the last chunk: the input stopped mid-block
        if (e instanceof TypeError) throw new Error('input ended in the middle of a block');
        throw e;
      }
      if (!bits) throw new Error('empty input');
      if (streamCRC !== null) throw new Error('input ended before the end-of-stream marker');
    },
  });
}
