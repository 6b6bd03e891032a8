/**
 * Test support for the importer fuzz tests (graph and public-QA): a seeded generator so
 * every failing case reproduces from its printed seed, the byte-level damage a real file
 * suffers (truncation, flipped and inserted bytes, random bytes), and the encodings files
 * really arrive in (UTF-16 LE/BE with and without a BOM, UTF-8 with a BOM, Latin-1).
 * Not used by the app.
 */

/** mulberry32: small, fast, and the same sequence on every platform */
export class FuzzRng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.u32() & 0xff;
    return b;
  }
}

const enc = new TextEncoder();
export const utf8 = (s: string): Uint8Array => enc.encode(s);

export function withUtf8Bom(s: string): Uint8Array {
  return concatBytes(new Uint8Array([0xef, 0xbb, 0xbf]), utf8(s));
}

export function utf16(s: string, order: 'le' | 'be', bom: boolean): Uint8Array {
  const body = bom ? `\ufeff${s}` : s;
  const out = new Uint8Array(body.length * 2);
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    out[2 * i + (order === 'le' ? 0 : 1)] = c & 0xff;
    out[2 * i + (order === 'le' ? 1 : 0)] = c >>> 8;
  }
  return out;
}

/** ISO-8859-1: one byte per character (every character must be below U+0100) */
export function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new Error(`U+${c.toString(16)} has no Latin-1 byte`);
    out[i] = c;
  }
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** the first `n` bytes (a download or copy that stopped) */
export const truncate = (b: Uint8Array, n: number): Uint8Array => b.slice(0, n);

/** `k` bytes overwritten with random values */
export function flipBytes(b: Uint8Array, rng: FuzzRng, k: number): Uint8Array {
  const out = b.slice();
  for (let i = 0; i < k && out.length; i++) out[rng.int(out.length)] = rng.u32() & 0xff;
  return out;
}

/** `n` random bytes inserted at a random place */
export function insertBytes(b: Uint8Array, rng: FuzzRng, n: number): Uint8Array {
  const at = rng.int(b.length + 1);
  return concatBytes(b.subarray(0, at), rng.bytes(n), b.subarray(at));
}

/** a random run of bytes removed */
export function deleteBytes(b: Uint8Array, rng: FuzzRng, n: number): Uint8Array {
  const at = rng.int(Math.max(1, b.length - n));
  return concatBytes(b.subarray(0, at), b.subarray(at + n));
}

/** rejects when `p` takes longer than `ms`: a hang becomes a failing case, not a stuck run */
export function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`HANG: ${what} did not finish within ${ms} ms`)), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
