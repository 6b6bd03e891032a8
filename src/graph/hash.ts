/**
 * Cheap 32-bit FNV-1a checksums: they detect a truncated or altered cache record,
 * not an adversary (the source file itself is checked with SHA-256).
 */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class Fnv1a {
  private h = FNV_OFFSET;

  bytes(data: ArrayBufferView): this {
    const u8 = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let h = this.h;
    for (let i = 0; i < u8.length; i++) {
      h ^= u8[i]!;
      h = Math.imul(h, FNV_PRIME);
    }
    this.h = h;
    return this;
  }

  text(s: string): this {
    let h = this.h;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h ^= c & 0xff;
      h = Math.imul(h, FNV_PRIME);
      h ^= c >>> 8;
      h = Math.imul(h, FNV_PRIME);
    }
    this.h = h;
    return this;
  }

  number(n: number): this {
    return this.text(String(n));
  }

  digest(): number {
    return this.h >>> 0;
  }
}

/** SHA-256 hex of bytes, through WebCrypto (present in browsers, workers and Node 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
