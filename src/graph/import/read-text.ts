/**
 * The shared front of every importer: the file's bytes → decompressed → text chunks
 * (UTF-8, or UTF-16 by its BOM or byte pattern: text-encoding.ts), with byte progress,
 * cancellation, and binary input refused up front (undecodable bytes or a NUL character
 * name the line they were found on).
 */
import { GraphFileError } from '../graph-file-error';
import { compressionError, decompressed, sniffCompression } from './decompress';
import { ImportCancelledError, type ImportOptions, type ImportSource } from './import-source';
import { TextStreamDecoder } from './text-encoding';

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
  const decoder = new TextStreamDecoder(src.name);
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
        sink.push(refuseNul(decoder.push(res.value.subarray(at, at + SLICE)), src.name, sink));
        report();
      }
    }
    sink.push(refuseNul(decoder.end(), src.name, sink));
    sink.end();
    report(true);
  } finally {
    reader.cancel().catch(() => {});
  }
}

function refuseNul(text: string, file: string, sink: TextChunkSink): string {
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    let line = sink.line;
    for (let i = text.indexOf('\n'); i >= 0 && i < nul; i = text.indexOf('\n', i + 1)) line++;
    throw new GraphFileError(file, `line ${line}`, 'a NUL byte: this is a binary file, not text');
  }
  return text;
}
