/**
 * Name search over node names and synonyms: exact and whole-name prefix matches from
 * a sorted key array (binary search), word-prefix matches from a token → nodes posting
 * list (CSR), and typo-tolerant matches by bounded edit distance over the token
 * vocabulary. Everything is typed arrays plus two string arrays, so 100K+ nodes index
 * in well under a second and a query allocates only its result.
 */
import { normalizeName, tokenize } from './normalize';

export type MatchKind = 'exact' | 'prefix' | 'words' | 'fuzzy';

export interface NameHit {
  node: number;
  kind: MatchKind;
  /** the name or synonym that matched */
  matched: string;
  score: number;
}

export interface NameSource {
  nodeCount: number;
  /** display name and synonyms of node i */
  keysOf(i: number): string[];
  /** prior importance of node i for ranking ties (e.g. degree) */
  weight(i: number): number;
  nodeType(i: number): number;
}

export interface SearchOptions {
  limit?: number;
  /** only these node type indices */
  types?: readonly number[];
  fuzzy?: boolean;
}

const KIND_SCORE: Record<MatchKind, number> = { exact: 400, prefix: 300, words: 200, fuzzy: 100 };

export class NameIndex {
  /** normalized keys sorted ascending, with the node and raw key of each */
  private readonly keys: string[];
  private readonly keyNode: Uint32Array;
  private readonly keyRaw: string[];
  /** token vocabulary sorted ascending, postings in CSR form */
  private readonly tokens: string[];
  private readonly postOffsets: Uint32Array;
  private readonly postNodes: Uint32Array;
  /** token ids by their second letter, for typos that drop the first letter */
  private readonly bySecondLetter = new Map<string, number[]>();
  /** token ids by their 2nd and 3rd letters: finds a word whose first letter was mistyped */
  private readonly bySecondBigram = new Map<string, number[]>();
  /** scratch for intersecting word matches without allocating per query */
  private readonly stamp: Uint32Array;
  private readonly count: Uint8Array;
  private readonly edits: Uint8Array;
  private generation = 0;

  constructor(private readonly src: NameSource) {
    const n = src.nodeCount;
    const entries: { key: string; node: number; raw: string }[] = [];
    const tokenIds = new Map<string, number>();
    const pairTok: number[] = [];
    const pairNode: number[] = [];
    for (let i = 0; i < n; i++) {
      const seen = new Set<string>();
      for (const raw of src.keysOf(i)) {
        const key = normalizeName(raw);
        if (key.length === 0 || seen.has(key)) continue;
        seen.add(key);
        entries.push({ key, node: i, raw });
        for (const t of tokenize(key)) {
          let id = tokenIds.get(t);
          if (id === undefined) tokenIds.set(t, (id = tokenIds.size));
          pairTok.push(id);
          pairNode.push(i);
        }
      }
    }
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.node - b.node));
    this.keys = entries.map((e) => e.key);
    this.keyNode = Uint32Array.from(entries, (e) => e.node);
    this.keyRaw = entries.map((e) => e.raw);

    // Sort the vocabulary and renumber tokens so that a prefix is a contiguous range.
    const vocab = [...tokenIds.keys()].sort();
    const rank = new Uint32Array(vocab.length);
    vocab.forEach((t, r) => (rank[tokenIds.get(t)!] = r));
    this.tokens = vocab;
    const offsets = new Uint32Array(vocab.length + 1);
    for (const t of pairTok) offsets[rank[t]! + 1]!++;
    for (let r = 0; r < vocab.length; r++) offsets[r + 1]! += offsets[r]!;
    const cursor = offsets.slice(0, vocab.length);
    const nodes = new Uint32Array(pairTok.length);
    for (let p = 0; p < pairTok.length; p++) nodes[cursor[rank[pairTok[p]!]!]!++] = pairNode[p]!;
    this.postOffsets = offsets;
    this.postNodes = nodes;
    vocab.forEach((t, r) => {
      if (t.length >= 3) {
        const bigram = t.slice(1, 3);
        const l = this.bySecondBigram.get(bigram);
        if (l) l.push(r);
        else this.bySecondBigram.set(bigram, [r]);
      }
      if (t.length < 2) return;
      const list = this.bySecondLetter.get(t[1]!);
      if (list) list.push(r);
      else this.bySecondLetter.set(t[1]!, [r]);
    });
    this.stamp = new Uint32Array(n);
    this.count = new Uint8Array(n);
    this.edits = new Uint8Array(n);
  }

  get keyCount(): number {
    return this.keys.length;
  }

  get vocabularySize(): number {
    return this.tokens.length;
  }

  search(query: string, opts: SearchOptions = {}): NameHit[] {
    const limit = opts.limit ?? 20;
    const q = normalizeName(query);
    if (q.length === 0 || limit <= 0) return [];
    const typeOk = opts.types && opts.types.length > 0 ? new Set(opts.types) : null;
    const words = tokenize(q);
    const best = new Map<number, NameHit>();
    const offer = (node: number, kind: MatchKind, matched: string, penalty = 0) => {
      if (typeOk && !typeOk.has(this.src.nodeType(node))) return;
      const w = this.src.weight(node);
      // Ties broken toward well-connected, short names: "asthma" before "asthma, aspirin-induced".
      // A word or typo match that covers the whole name ("tuberculosiss" → "tuberculosis")
      // outranks one inside a longer name ("pulmonary tuberculosis").
      const whole = (kind === 'words' || kind === 'fuzzy') && tokenize(normalizeName(matched)).length === words.length ? 25 : 0;
      const score = KIND_SCORE[kind] - 15 * penalty + whole + Math.min(40, 6 * Math.log2(w + 1)) - Math.min(30, matched.length * 0.3);
      const prev = best.get(node);
      if (!prev || prev.score < score) best.set(node, { node, kind, matched, score });
    };

    // 1. whole-key exact and prefix matches
    const lo = lowerBound(this.keys, q);
    const hi = lowerBound(this.keys, q + '\uffff');
    const cap = Math.min(hi, lo + 5000);
    for (let k = lo; k < cap; k++) offer(this.keyNode[k]!, this.keys[k] === q ? 'exact' : 'prefix', this.keyRaw[k]!);

    // 2. every query word is a prefix of some word of the key
    if (best.size < limit) this.matchWords(words, false, (node, e) => offer(node, e === 0 ? 'words' : 'fuzzy', this.displayKey(node, words, e > 0), e));
    // 3. the same with typos, only when too little matched exactly
    if (opts.fuzzy !== false && best.size < limit) {
      this.matchWords(words, true, (node, e) => offer(node, e === 0 ? 'words' : 'fuzzy', this.displayKey(node, words, e > 0), e));
    }
    const hits = [...best.values()];
    hits.sort((a, b) => b.score - a.score || a.node - b.node);
    return hits.slice(0, limit);
  }

  /** Calls back each node whose keys contain, for every query word, a matching token. */
  private matchWords(words: string[], fuzzy: boolean, hit: (node: number, edits: number) => void): void {
    if (words.length === 0 || words.length > 8) return;
    const gen = ++this.generation;
    if (gen === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    const g = this.generation;
    let candidates: number[] = [];
    words.forEach((w, j) => {
      const matches = this.tokenMatches(w, fuzzy);
      for (const [tok, e] of matches) {
        for (let p = this.postOffsets[tok]!; p < this.postOffsets[tok + 1]!; p++) {
          const node = this.postNodes[p]!;
          if (j === 0) {
            if (this.stamp[node] !== g) {
              this.stamp[node] = g;
              this.count[node] = 1;
              this.edits[node] = e;
              candidates.push(node);
            } else if (e < this.edits[node]!) this.edits[node] = e;
          } else if (this.stamp[node] === g && this.count[node] === j) {
            this.count[node] = j + 1;
            this.edits[node] = Math.min(255, this.edits[node]! + e);
          }
        }
      }
      if (j > 0) candidates = candidates.filter((node) => this.count[node] === j + 1);
    });
    for (const node of candidates) if (this.count[node] === words.length) hit(node, this.edits[node]!);
  }

  /** Tokens matching word w: those it prefixes (0 edits), and with fuzzy, those within edit distance. */
  private tokenMatches(w: string, fuzzy: boolean): [number, number][] {
    const out: [number, number][] = [];
    const lo = lowerBound(this.tokens, w);
    const hi = lowerBound(this.tokens, w + '\uffff');
    for (let t = lo; t < hi; t++) out.push([t, 0]);
    if (!fuzzy || w.length < 4) return out;
    const maxEdits = w.length <= 6 ? 1 : 2;
    // Only tokens that start with the query's first or second letter are compared: the
    // vocabulary is sorted, so each is one contiguous range. That keeps a typo search
    // proportional to a slice of the vocabulary (a full scan is too slow at 1M nodes)
    // and still catches a typo anywhere after the first letter, a missing or extra first
    // letter, and the first two letters swapped.
    const candidates: Iterable<number>[] = [];
    for (const c of new Set([w[0]!, w[1]!])) candidates.push(range(lowerBound(this.tokens, c), lowerBound(this.tokens, c + '\uffff')));
    // ...tokens whose second letter is the query's first (the first letter was left out)
    candidates.push(this.bySecondLetter.get(w[0]!) ?? []);
    // ...and tokens sharing the query's 2nd and 3rd letters (a wrong first letter: "netformin")
    candidates.push(this.bySecondBigram.get(w.slice(1, 3)) ?? []);
    const seen = new Set<number>();
    for (const list of candidates) {
      for (const t of list) {
        if ((t >= lo && t < hi) || seen.has(t)) continue;
        seen.add(t);
        const tok = this.tokens[t]!;
        // compare with the token, and with its prefix of the query's length (typo while typing)
        if (Math.abs(tok.length - w.length) <= maxEdits) {
          const d = boundedEditDistance(w, tok, maxEdits);
          if (d <= maxEdits) {
            out.push([t, d]);
            continue;
          }
        }
        if (tok.length > w.length) {
          const d = boundedEditDistance(w, tok, maxEdits, w.length);
          if (d <= maxEdits) out.push([t, d]);
        }
      }
    }
    return out;
  }

  /** The name or synonym of the node that the query matched (for display and ranking). */
  private displayKey(node: number, words: string[], fuzzy: boolean): string {
    const keys = this.src.keysOf(node);
    if (!fuzzy) {
      for (const k of keys) {
        const nk = normalizeName(k);
        if (words.every((w) => nk.includes(w))) return k;
      }
      return keys[0] ?? '';
    }
    // With typos: the key whose words are closest to the query's, then the shortest.
    let best = keys[0] ?? '';
    let bestCost = Infinity;
    let bestLen = Infinity;
    for (const k of keys) {
      const toks = tokenize(normalizeName(k));
      let cost = 0;
      for (const w of words) {
        let c = 3;
        for (const t of toks) c = Math.min(c, boundedEditDistance(w, t, 2), t.length > w.length ? boundedEditDistance(w, t, 2, w.length) : 3);
        cost += c;
      }
      if (cost < bestCost || (cost === bestCost && toks.length < bestLen)) {
        best = k;
        bestCost = cost;
        bestLen = toks.length;
      }
    }
    return best;
  }
}

function* range(from: number, to: number): Generator<number> {
  for (let i = from; i < to; i++) yield i;
}

export function lowerBound(sorted: readonly string[], x: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows reused across calls: the fuzzy scan calls this once per vocabulary token. */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/**
 * Damerau–Levenshtein (optimal string alignment) distance, giving up past max. With
 * bLength, b is read as its prefix of that length (without slicing it).
 */
export function boundedEditDistance(a: string, b: string, max: number, bLength = b.length): number {
  const m = a.length;
  const n = Math.min(bLength, b.length);
  if (Math.abs(m - n) > max) return max + 1;
  if (rowA.length < n + 1) {
    rowA = new Int32Array(2 * (n + 1));
    rowB = new Int32Array(2 * (n + 1));
    rowC = new Int32Array(2 * (n + 1));
  }
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[n]!;
}
