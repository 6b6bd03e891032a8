/**
 * Bytes → text for every importer (graphs and public QA), with the encoding decided
 * from the bytes, not guessed from the platform: a UTF-8 byte-order mark is dropped,
 * UTF-16 (LE or BE, with a BOM — what Excel's "Unicode text" writes — or without one,
 * recognised by its zero high bytes) is decoded, and anything else must be valid UTF-8.
 * Text in a legacy 8-bit encoding (Latin-1 / Windows-1252) is refused with a message
 * that says so and how to fix it, instead of importing with every accented letter
 * silently replaced. Decoding is strict (fatal), and an error names the line.
 */
import { GraphFileError } from '../graph-file-error';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface SniffedEncoding {
  encoding: TextEncodingName;
  /** how it was decided: a byte-order mark, the pattern of zero bytes, or the default */
  by: 'bom' | 'pattern' | 'default';
}

/** bytes needed before a BOM-less UTF-16 file can be told from UTF-8 (fewer at the end of the file) */
const SNIFF_BYTES = 512;

/** Refused outright: UTF-32 by its BOM (nothing here writes it, and it is rare enough to name). */
function utf32(head: Uint8Array): string | null {
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xfe && head[2] === 0 && head[3] === 0) return 'UTF-32LE';
  if (head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff) return 'UTF-32BE';
  return null;
}

/**
 * The encoding of a text file from its first bytes; null when more bytes are needed to
 * decide (only before the end of the file).
 */
export function sniffTextEncoding(head: Uint8Array, atEnd: boolean): SniffedEncoding | null {
  if (!atEnd && head.length < 4) return null;
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', by: 'bom' };
  if (utf32(head)) return { encoding: 'utf-8', by: 'default' }; // refused by the decoder with its name
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', by: 'bom' };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', by: 'bom' };
  if (!atEnd && head.length < SNIFF_BYTES) return null;
  // Without a BOM: text in UTF-16 that is mostly ASCII (CSV, TSV, JSON) has a zero in
  // one byte of nearly every pair and never in the other. UTF-8 text has no zero bytes.
  const n = Math.min(head.length, SNIFF_BYTES) & ~1;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (pairs >= 2 && oddZeros >= pairs * 0.3 && evenZeros === 0) return { encoding: 'utf-16le', by: 'pattern' };
  if (pairs >= 2 && evenZeros >= pairs * 0.3 && oddZeros === 0) return { encoding: 'utf-16be', by: 'pattern' };
  return { encoding: 'utf-8', by: 'default' };
}

/** An input whose bytes are not text in an encoding the importers read. */
export class TextEncodingError extends GraphFileError {
  constructor(file: string, line: number, cause: string) {
    super(file, `line ${line}`, cause);
    this.name = 'TextEncodingError';
  }
}

/** Offset of the first byte that breaks UTF-8 in `b` (leading continuation bytes of a character begun earlier are skipped); -1 if none. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < 3 && i < b.length && (b[i]! & 0xc0) === 0x80) i++;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      if (i + k >= b.length) return -1; // continues in the next piece
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) return i;
      // overlong / surrogate / above U+10FFFF second-byte ranges
      if (k === 1 && ((c === 0xe0 && d < 0xa0) || (c === 0xed && d > 0x9f) || (c === 0xf0 && d < 0x90) || (c === 0xf4 && d > 0x8f))) return i;
    }
    i += len;
  }
  return -1;
}

function countNewlines(b: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (b[i] === 10) n++;
  return n;
}

const hex = (x: number) => `0x${x.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * A streaming decoder: feed consecutive pieces of the file's bytes, then call end().
 * Throws TextEncodingError naming the file and line of the first undecodable byte.
 */
export class TextStreamDecoder {
  private decoder: TextDecoder | null = null;
  private sniffed: SniffedEncoding | null = null;
  private head: Uint8Array[] = [];
  private headBytes = 0;
  /** line of the start of the next text handed out (1-based) */
  private line = 1;

  constructor(private readonly file: string) {}

  /** the encoding in use, once decided */
  get encoding(): SniffedEncoding | null {
    return this.sniffed;
  }

  /** text for the next piece of bytes ('' while the first bytes are still being looked at) */
  push(bytes: Uint8Array): string {
    if (this.decoder) return this.decode(bytes);
    this.head.push(bytes);
    this.headBytes += bytes.length;
    return this.tryStart(false);
  }

  /** the rest of the text; throws when the file stops in the middle of a character */
  end(): string {
    const first = this.decoder ? '' : this.tryStart(true);
    return first + this.decode(undefined);
  }

  private tryStart(atEnd: boolean): string {
    const all = this.head.length === 1 ? this.head[0]! : concat(this.head, this.headBytes);
    const s = sniffTextEncoding(all, atEnd);
    if (!s) return '';
    const u32 = utf32(all);
    if (u32) throw new TextEncodingError(this.file, 1, `the file is ${u32} text (by its byte-order mark), which is not read here: save it as UTF-8 (or UTF-16) and import again`);
    this.sniffed = s;
    this.decoder = new TextDecoder(s.encoding, { fatal: true });
    this.head = [];
    this.headBytes = 0;
    return all.length ? this.decode(all) : '';
  }

  private decode(bytes: Uint8Array | undefined): string {
    const d = this.decoder!;
    let text: string;
    try {
      text = bytes ? d.decode(bytes, { stream: true }) : d.decode();
    } catch {
      throw this.failure(bytes);
    }
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.line++;
    return text;
  }

  private failure(bytes: Uint8Array | undefined): TextEncodingError {
    const enc = this.sniffed!;
    if (!bytes) {
      const what = enc.encoding === 'utf-8' ? 'UTF-8' : 'UTF-16';
      return new TextEncodingError(this.file, this.line, `the file ends in the middle of a ${what} character: it is truncated`);
    }
    if (enc.encoding !== 'utf-8') {
      const how = enc.by === 'bom' ? 'by its byte-order mark' : 'by the zero bytes between its characters';
      return new TextEncodingError(this.file, this.line, `bytes that are not valid ${enc.encoding.toUpperCase()} text (the file reads as ${enc.encoding.toUpperCase()} ${how}, but holds an unpaired surrogate): it is damaged, or not text`);
    }
    const at = firstInvalidUtf8(bytes);
    const line = this.line + countNewlines(bytes, at < 0 ? 0 : at);
    // control bytes other than tab, CR, LF (and a NUL) mean binary; otherwise 8-bit legacy text
    let control = 0;
    const scan = Math.min(bytes.length, 1 << 16);
    for (let i = 0; i < scan; i++) {
      const c = bytes[i]!;
      if (c < 0x20 && c !== 9 && c !== 10 && c !== 13) control++;
    }
    const byte = at >= 0 ? ` (byte ${hex(bytes[at]!)})` : '';
    if (control > scan / 1000) {
      return new TextEncodingError(this.file, line, `bytes that are not UTF-8 text${byte}: this is a binary file, or compressed in a format other than gzip, bzip2 or xz`);
    }
    return new TextEncodingError(
      this.file,
      line,
      `bytes that are not UTF-8 text${byte}: the file looks like Latin-1 / Windows-1252 text (what Excel's plain "CSV" writes); save it as UTF-8 (e.g. "CSV UTF-8") or UTF-16 and import again`,
    );
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A whole file's bytes as text (see TextStreamDecoder); throws TextEncodingError naming file and line. */
export function decodeTextBytes(bytes: Uint8Array, file: string): string {
  const d = new TextStreamDecoder(file);
  // in pieces, so a 1 GB file does not need one decode call and the line of an error is exact
  const SLICE = 1 << 22;
  let out = '';
  for (let at = 0; at < bytes.length; at += SLICE) out += d.push(bytes.subarray(at, at + SLICE));
  return out + d.end();
}
