/** Text checks shared by the synthesis filters and the importers. */

const normalCache = new Map<string, string>();

/** lower-case, accents folded, every run of non-alphanumerics one space, padded: for whole-word containment (memoised for names) */
export function normalizeText(s: string): string {
  if (s.length > 120) return computeNormal(s);
  let v = normalCache.get(s);
  if (v === undefined) {
    if (normalCache.size > 200_000) normalCache.clear();
    normalCache.set(s, (v = computeNormal(s)));
  }
  return v;
}

function computeNormal(s: string): string {
  return ` ${s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

/** does `text` contain `name` as whole words (case and punctuation insensitive)? */
export function containsName(text: string, name: string): boolean {
  const n = normalizeText(name);
  if (n.trim().length === 0) return false;
  return normalizeText(text).includes(n);
}

const STOP = new Set('a an the of with and or in on to for is are which what following most likely patient presents who by be this that from as at'.split(' '));

/** Order-free content-word signature: two stems with the same signature are near-duplicates. */
export function stemSignature(stem: string): string {
  const words = normalizeText(stem).trim().split(' ').filter((w) => w && !STOP.has(w));
  return [...new Set(words)].sort().join(' ');
}

/** why a piece of text is unusable, or null: empty, placeholder leaks, control or replacement characters */
export function malformation(text: string): string | null {
  if (text.trim().length === 0) return 'empty';
  if (/\b(undefined|null|NaN)\b/.test(text)) return 'placeholder value in text';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/.test(text)) return 'control or replacement character (encoding artefact)';
  if (/Ã.|Â./.test(text)) return 'mojibake (UTF-8 read as Latin-1)';
  return null;
}

/** 64-bit FNV-1a as 16 hex digits: stable content ids without crypto. */
export function hash64(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 15);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
