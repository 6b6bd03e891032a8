/**
 * GPT-2's byte-level alphabet and pre-tokenizer, exactly as Hugging Face's ByteLevel
 * pre-tokenizer/decoder apply them (tokenizers.js, which transformers.js uses): every UTF-8 byte
 * becomes one printable character (space → "Ġ", newline → "Ċ"), so any text is representable
 * with 256 base symbols and no unknown token.
 */

/** byte value → its printable stand-in (GPT-2 `bytes_to_unicode`) */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const keep: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) keep.push(b);
  for (let b = 0xa1; b <= 0xac; b++) keep.push(b);
  for (let b = 0xae; b <= 0xff; b++) keep.push(b);
  const out = new Array<string>(256);
  for (const b of keep) out[b] = String.fromCharCode(b);
  let n = 0;
  for (let b = 0; b < 256; b++) if (out[b] === undefined) out[b] = String.fromCharCode(256 + n++);
  return out;
})();

/** printable stand-in → byte value */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

/**
 * GPT-2's split pattern, the one tokenizers.js's ByteLevel pre-tokenizer uses (`use_regex: true`):
 * contractions, optional space + letters, optional space + digits, optional space + other
 * symbols, whitespace runs (leaving the last space to the next word).
 */
export const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const utf8 = new TextEncoder();

/** Split text into pre-tokens and map each to its byte-level string. */
export function byteLevelPreTokenize(text: string): string[] {
  const pieces = text.match(GPT2_SPLIT) ?? [];
  return pieces.map(byteLevelString);
}

/** The byte-level string of a piece of text (UTF-8 bytes → printable stand-ins). */
export function byteLevelString(piece: string): string {
  const bytes = utf8.encode(piece);
  let s = '';
  for (const b of bytes) s += BYTE_TO_CHAR[b]!;
  return s;
}

/**
 * Byte-level strings back to text. Invalid UTF-8 (a character cut between tokens) becomes U+FFFD,
 * as in tokenizers.js. Characters outside the alphabet (never produced by our BPE) decode as 0.
 */
export function byteLevelDecode(tokens: readonly string[]): string {
  let len = 0;
  for (const t of tokens) len += t.length;
  const bytes = new Uint8Array(len);
  let k = 0;
  for (const t of tokens) for (const ch of t) bytes[k++] = CHAR_TO_BYTE.get(ch) ?? 0;
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes.subarray(0, k));
}
