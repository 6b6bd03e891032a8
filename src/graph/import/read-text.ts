/**
 * The shared front of every importer: the file's bytes → decompressed → UTF-8 text
 * chunks, with byte progress, cancellation, and binary input refused up front
 * (invalid UTF-8 or a NUL character names the line it was found on).
 */
import { GraphFileError } from '../graph-file-error';
import { compressionError, decompressed, sniffCompression } from './decompress';
import { ImportCancelledError, type ImportOptions, type ImportSource } from './import-source';

export interface TextChunkSink {
  /** called with consecutive pieces of the text; returns records parsed so far */
  push(text: string): void;
  end(): void;
  /** 1-based line currently being read, for messages about undecodable bytes */
  readonly line: number;
  readonly rows: number;
}

const SLICE = 1 << 20;

export async function readText(src: ImportSource, sink: TextChunkSink, opts: ImportOptions): Promise<void> {
  const total = src.blob.size;
  const head = new Uint8Array(await src.blob.slice(0, 8).arrayBuffer());
  const kind = sniffCompression(head);
  let bytesRead = 0;
  const counted = src.blob.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        bytesRead += chunk.length;
        c.enqueue(chunk);
      },
    }),
  );
  const reader = decompressed(counted, kind).getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lastReport = 0;
  const report = (force = false) => {
    const now = Date.now();
    if (!opts.onProgress || (!force && now - lastReport < 100)) return;
    lastReport = now;
    opts.onProgress({ stage: 'reading', bytesRead, totalBytes: total, rows: sink.rows });
  };
  try {
    for (;;) {
      if (opts.signal?.aborted) throw new ImportCancelledError(src.name);
      let res: ReadableStreamReadResult<Uint8Array>;
      try {
        res = await reader.read();
      } catch (e) {
        throw kind === 'none' ? new GraphFileError(src.name, 'read', (e as Error).message) : compressionError(src.name, kind, e);
      }
      if (res.done) break;
      // Large chunks (an in-memory Blob may arrive whole) are fed in slices, so that
      // size limits, progress and cancellation act at a fine grain.
      for (let at = 0; at < res.value.length; at += SLICE) {
        if (opts.signal?.aborted) throw new ImportCancelledError(src.name);
        sink.push(decode(decoder, res.value.subarray(at, at + SLICE), src.name, sink));
        report();
      }
    }
    sink.push(decode(decoder, undefined, src.name, sink));
    sink.end();
    report(true);
  } finally {
    reader.cancel().catch(() => {});
  }
}

function decode(decoder: TextDecoder, bytes: Uint8Array | undefined, file: string, sink: TextChunkSink): string {
  let text: string;
  try {
    text = bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
  } catch {
    throw new GraphFileError(file, `line ${sink.line}`, 'bytes that are not UTF-8 text: this is a binary file, or compressed in a format other than gzip, bzip2 or xz');
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    let line = sink.line;
    for (let i = text.indexOf('\n'); i >= 0 && i < nul; i = text.indexOf('\n', i + 1)) line++;
    throw new GraphFileError(file, `line ${line}`, 'a NUL byte: this is a binary file, not text');
  }
  return text;
}
