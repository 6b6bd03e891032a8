/**
 * Byte-level BPE training on our corpus (question + trajectory texts), the Hugging Face
 * BpeTrainer algorithm: count pre-tokenized words once, count adjacent symbol pairs weighted by
 * word frequency, then repeatedly merge the most frequent pair, updating only the pairs next to
 * each merge in only the words that hold it (an index pair → words, and a max-heap with lazy
 * re-scoring). Cost per merge is proportional to where the pair occurs, not to the corpus.
 */
import { AddedTokenSplitter } from './added-tokens';
import { BYTE_TO_CHAR, GPT2_SPLIT } from './byte-level';
import { ByteLevelBpeTokenizer, type AddedTokenEntry } from './bpe-tokenizer';
import { BOS, EOS, FORMAT_TOKENS, PAD } from './types';

export interface TrainBpeOptions {
  /** final vocabulary size, added tokens and the 256 byte symbols included */
  vocabSize: number;
  /** extra tokens matched whole before BPE (e.g. one per entity and relation name), after the specials and format markers */
  addedTokens?: readonly string[];
  /** a pair seen fewer times than this is never merged (default 2) */
  minFrequency?: number;
  /** called now and then with merges done and the most possible */
  onProgress?: (done: number, total: number) => void;
}

export interface TrainBpeStats {
  /** bytes of text read (UTF-8) */
  corpusBytes: number;
  words: number;
  uniqueWords: number;
  merges: number;
  /** why training stopped: the vocabulary is full, or no pair is frequent enough */
  stoppedBy: 'vocab_size' | 'min_frequency';
}

const pairKey = (a: number, b: number) => a * 67108864 + b;
const SHIFT = 67108864;

/** Max-heap of (count, pair key), ties to the smaller pair (lower ids first), as HF's trainer. */
class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];
  get size() {
    return this.keys.length;
  }
  private above(i: number, j: number) {
    const ci = this.counts[i]!;
    const cj = this.counts[j]!;
    return ci > cj || (ci === cj && this.keys[i]! < this.keys[j]!);
  }
  private swap(i: number, j: number) {
    const c = this.counts[i]!;
    this.counts[i] = this.counts[j]!;
    this.counts[j] = c;
    const k = this.keys[i]!;
    this.keys[i] = this.keys[j]!;
    this.keys[j] = k;
  }
  push(count: number, key: number) {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.keys.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.above(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  pop(): { count: number; key: number } {
    const top = { count: this.counts[0]!, key: this.keys[0]! };
    const lastC = this.counts.pop()!;
    const lastK = this.keys.pop()!;
    if (this.keys.length > 0) {
      this.counts[0] = lastC;
      this.keys[0] = lastK;
      let i = 0;
      const n = this.keys.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.above(r, l) ? r : l;
        if (!this.above(c, i)) break;
        this.swap(c, i);
        i = c;
      }
    }
    return top;
  }
}

/** The added tokens of every tokenizer we train: BOS, EOS, PAD, the format markers, then the caller's, without repeats. */
export function addedTokenList(extra: readonly string[] = []): Array<{ content: string; special: boolean }> {
  const seen = new Set<string>();
  const out: Array<{ content: string; special: boolean }> = [];
  const add = (content: string, special: boolean) => {
    if (seen.has(content)) return;
    seen.add(content);
    out.push({ content, special });
  };
  for (const t of [BOS, EOS, PAD]) add(t, true);
  for (const t of FORMAT_TOKENS) add(t, false);
  extra.forEach((t, i) => {
    if (typeof t !== 'string' || t.length === 0) throw new Error(`addedTokens[${i}] is empty: an added token needs at least one character`);
    add(t, false);
  });
  return out;
}

/**
 * Train a byte-level BPE tokenizer. Ids: the added tokens first (BOS 0, EOS 1, PAD 2, the four
 * format markers, then `addedTokens` in order), then the 256 byte symbols, then merges. A merge
 * that would spell an added token is skipped, so no BPE token ever collides with one.
 */
export function trainBpe(corpus: Iterable<string>, opts: TrainBpeOptions, stats?: (s: TrainBpeStats) => void): ByteLevelBpeTokenizer {
  const minFrequency = opts.minFrequency ?? 2;
  const added = addedTokenList(opts.addedTokens);
  const vocab: string[] = [];
  const idOf = new Map<string, number>();
  const addedEntries: AddedTokenEntry[] = [];
  for (const t of added) {
    idOf.set(t.content, vocab.length);
    addedEntries.push({ id: vocab.length, content: t.content, special: t.special });
    vocab.push(t.content);
  }
  const byteId = new Int32Array(256);
  for (let b = 0; b < 256; b++) {
    const ch = BYTE_TO_CHAR[b]!;
    let id = idOf.get(ch);
    if (id === undefined) {
      id = vocab.length;
      idOf.set(ch, id);
      vocab.push(ch);
    }
    byteId[b] = id;
  }
  if (!Number.isInteger(opts.vocabSize) || opts.vocabSize < vocab.length)
    throw new Error(`vocabSize must be an integer ≥ ${vocab.length} (${added.length} added tokens + the 256 byte symbols), got ${opts.vocabSize}`);
  if (opts.vocabSize > SHIFT) throw new Error(`vocabSize ${opts.vocabSize} is beyond what this trainer indexes (${SHIFT})`);

  // 1. words and their counts (added tokens are cut out first, exactly as encode() will)
  const splitter = new AddedTokenSplitter(added.map((t) => t.content));
  const wordFreq = new Map<string, number>();
  let corpusBytes = 0;
  let nWords = 0;
  const utf8 = new TextEncoder();
  for (const text of corpus) {
    for (const s of splitter.split(text)) {
      if (s.added) continue;
      for (const piece of s.text.match(GPT2_SPLIT) ?? []) {
        wordFreq.set(piece, (wordFreq.get(piece) ?? 0) + 1);
        nWords++;
      }
    }
  }
  const words: Int32Array[] = [];
  const freq: number[] = [];
  for (const [piece, f] of wordFreq) {
    const bytes = utf8.encode(piece);
    corpusBytes += bytes.length * f;
    const w = new Int32Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) w[i] = byteId[bytes[i]!]!;
    words.push(w);
    freq.push(f);
  }
  wordFreq.clear();

  // 2. pair counts and where each pair occurs
  const count = new Map<number, number>();
  const where = new Map<number, number[]>();
  words.forEach((w, wi) => {
    const f = freq[wi]!;
    for (let i = 0; i + 1 < w.length; i++) {
      const k = pairKey(w[i]!, w[i + 1]!);
      count.set(k, (count.get(k) ?? 0) + f);
      let list = where.get(k);
      if (!list) where.set(k, (list = []));
      if (list[list.length - 1] !== wi) list.push(wi);
    }
  });
  const heap = new PairHeap();
  for (const [k, c] of count) heap.push(c, k);

  // 3. merges
  const addedSet = new Set(added.map((t) => t.content));
  const merges: Array<[string, string]> = [];
  const stamp = new Int32Array(words.length).fill(-1);
  const baseLen = vocab.length;
  const total = opts.vocabSize - baseLen;
  let stoppedBy: TrainBpeStats['stoppedBy'] = 'min_frequency';
  const bump = (k: number, d: number) => count.set(k, (count.get(k) ?? 0) + d);
  while (heap.size > 0) {
    if (vocab.length >= opts.vocabSize) {
      stoppedBy = 'vocab_size';
      break;
    }
    const top = heap.pop();
    const current = count.get(top.key) ?? 0;
    if (current !== top.count) {
      if (current > 0) heap.push(current, top.key); // stale score: re-queue with the true count
      continue;
    }
    if (current < minFrequency) break;
    const a = Math.floor(top.key / SHIFT);
    const b = top.key - a * SHIFT;
    const merged = vocab[a]! + vocab[b]!;
    if (addedSet.has(merged)) {
      count.delete(top.key); // never spell an added token with BPE
      continue;
    }
    let c = idOf.get(merged);
    if (c === undefined) {
      c = vocab.length;
      idOf.set(merged, c);
      vocab.push(merged);
    }
    merges.push([vocab[a]!, vocab[b]!]);
    const mergeIndex = merges.length - 1;
    const touched = new Set<number>();
    for (const wi of where.get(top.key) ?? []) {
      if (stamp[wi] === mergeIndex) continue;
      stamp[wi] = mergeIndex;
      const w = words[wi]!;
      const f = freq[wi]!;
      let found = false;
      for (let i = 0; i + 1 < w.length; i++) if (w[i] === a && w[i + 1] === b) { found = true; break; }
      if (!found) continue; // stale index entry: an earlier merge consumed the pair here
      const out = new Int32Array(w.length);
      let m = 0;
      for (let i = 0; i < w.length; ) {
        if (i + 1 < w.length && w[i] === a && w[i + 1] === b) {
          bump(top.key, -f);
          if (m > 0) {
            const p = out[m - 1]!;
            bump(pairKey(p, a), -f); // the old left neighbour pair (its right side was a)
            const nk = pairKey(p, c);
            bump(nk, f);
            touched.add(nk);
          }
          if (i + 2 < w.length) {
            const nx = w[i + 2]!;
            bump(pairKey(b, nx), -f);
            const nk = pairKey(c, nx);
            bump(nk, f);
            touched.add(nk);
          }
          out[m++] = c;
          i += 2;
        } else out[m++] = w[i++]!;
      }
      const nw = out.slice(0, m);
      words[wi] = nw;
      for (let i = 0; i + 1 < m; i++) {
        if (nw[i] !== c && nw[i + 1] !== c) continue;
        const k = pairKey(nw[i]!, nw[i + 1]!);
        let list = where.get(k);
        if (!list) where.set(k, (list = []));
        if (list[list.length - 1] !== wi) list.push(wi);
      }
    }
    count.delete(top.key);
    where.delete(top.key);
    for (const k of touched) {
      const v = count.get(k) ?? 0;
      if (v > 0) heap.push(v, k);
    }
    if (opts.onProgress && merges.length % 256 === 0) opts.onProgress(vocab.length - baseLen, total);
  }
  if (vocab.length >= opts.vocabSize) stoppedBy = 'vocab_size';
  opts.onProgress?.(vocab.length - baseLen, total);
  stats?.({ corpusBytes, words: nWords, uniqueWords: words.length, merges: merges.length, stoppedBy });
  return new ByteLevelBpeTokenizer({ vocab, merges, added: addedEntries });
}
