/**
 * Our byte-level BPE tokenizer: the encoder for tokenizers we train (bpe-train.ts) and for
 * tokenizer.json files of the same shape. Semantics follow Hugging Face exactly (tested against
 * transformers.js): added tokens cut out whole first (leftmost-longest), GPT-2 split of the rest,
 * byte-level alphabet, merges applied lowest rank first and leftmost on ties.
 */
import { AddedTokenSplitter } from './added-tokens';
import { BYTE_TO_CHAR, GPT2_SPLIT, byteLevelDecode } from './byte-level';
import { BOS, EOS, FORMAT_TOKENS, PAD, type SpecialTokens, type Tokenizer } from './types';

export interface AddedTokenEntry {
  id: number;
  content: string;
  /** special tokens (BOS/EOS/PAD) are dropped by `skip_special_tokens`; format markers and entity names are not */
  special: boolean;
}

export interface ByteLevelBpeSpec {
  /** token string by id (byte-level strings; added tokens hold their raw content) */
  vocab: readonly string[];
  /** merge rules in rank order, each a pair of existing token strings */
  merges: ReadonlyArray<readonly [string, string]>;
  added: readonly AddedTokenEntry[];
  /** token strings of BOS/EOS/PAD (defaults: our <|bos|>, <|eos|>, <|pad|>) */
  bosToken?: string;
  eosToken?: string;
  padToken?: string;
  /** whether Hugging Face's default encoding (add_special_tokens=true) prepends BOS; default true */
  addBos?: boolean;
  /** the tokenizer.json this came from: toJSON() returns it unchanged */
  sourceJson?: Record<string, unknown>;
}

/** Pair key of two token ids: exact in a double for vocabularies below 2^26. */
const pairKey = (a: number, b: number) => a * 67108864 + b;

const WORD_CACHE_LIMIT = 200_000;
const utf8 = new TextEncoder();

export class ByteLevelBpeTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly specials: SpecialTokens;
  readonly addBos: boolean;
  private readonly vocab: readonly string[];
  private readonly ids = new Map<string, number>();
  private readonly merges: ReadonlyArray<readonly [string, string]>;
  /** pair key → rank; mergedId[rank] = id of the merged token */
  private readonly rank = new Map<number, number>();
  private readonly mergedId: Int32Array;
  private readonly added: readonly AddedTokenEntry[];
  private readonly addedIds = new Map<string, number>();
  private readonly addedById = new Map<number, AddedTokenEntry>();
  private readonly splitter: AddedTokenSplitter;
  private readonly byteId: Int32Array;
  private readonly cache = new Map<string, number[]>();
  private readonly tokenNames: { bos: string; eos: string; pad: string };
  private readonly sourceJson: Record<string, unknown> | undefined;

  constructor(spec: ByteLevelBpeSpec) {
    this.vocab = spec.vocab;
    this.vocabSize = spec.vocab.length;
    spec.vocab.forEach((t, id) => {
      if (this.ids.has(t)) throw new Error(`tokenizer vocab: token ${JSON.stringify(t)} appears twice (ids ${this.ids.get(t)} and ${id})`);
      this.ids.set(t, id);
    });
    this.byteId = new Int32Array(256);
    for (let b = 0; b < 256; b++) {
      const id = this.ids.get(BYTE_TO_CHAR[b]!);
      if (id === undefined) throw new Error(`tokenizer vocab lacks the byte-level symbol for byte 0x${b.toString(16).padStart(2, '0')} (${JSON.stringify(BYTE_TO_CHAR[b])}); a byte-level BPE needs all 256`);
      this.byteId[b] = id;
    }
    this.merges = spec.merges;
    this.mergedId = new Int32Array(spec.merges.length);
    spec.merges.forEach(([a, b], r) => {
      const ia = this.ids.get(a);
      const ib = this.ids.get(b);
      const im = this.ids.get(a + b);
      if (ia === undefined || ib === undefined || im === undefined) {
        const missing = ia === undefined ? a : ib === undefined ? b : a + b;
        throw new Error(`tokenizer merge #${r} ${JSON.stringify(a)} + ${JSON.stringify(b)}: ${JSON.stringify(missing)} is not in the vocab`);
      }
      const k = pairKey(ia, ib);
      this.rank.set(k, r); // a repeated merge keeps its last rank, as in Rust tokenizers and tokenizers.js
      this.mergedId[r] = im;
    });
    this.added = spec.added;
    for (const t of spec.added) {
      if (this.vocab[t.id] !== t.content) throw new Error(`added token ${JSON.stringify(t.content)} has id ${t.id}, but the vocab holds ${JSON.stringify(this.vocab[t.id])} there`);
      this.addedIds.set(t.content, t.id);
      this.addedById.set(t.id, t);
    }
    this.splitter = new AddedTokenSplitter(spec.added.map((t) => t.content));
    this.tokenNames = { bos: spec.bosToken ?? BOS, eos: spec.eosToken ?? EOS, pad: spec.padToken ?? PAD };
    const need = (what: string, tok: string) => {
      const id = this.ids.get(tok);
      if (id === undefined) throw new Error(`tokenizer: the ${what} token ${JSON.stringify(tok)} is not in the vocab`);
      return id;
    };
    const sp: SpecialTokens = { bos: need('BOS', this.tokenNames.bos), eos: need('EOS', this.tokenNames.eos), pad: need('PAD', this.tokenNames.pad) };
    const fmt = (t: string) => this.addedIds.get(t);
    const [tOpen, tClose, aOpen, aClose] = FORMAT_TOKENS;
    if (fmt(tOpen) !== undefined) sp.think_open = fmt(tOpen);
    if (fmt(tClose) !== undefined) sp.think_close = fmt(tClose);
    if (fmt(aOpen) !== undefined) sp.answer_open = fmt(aOpen);
    if (fmt(aClose) !== undefined) sp.answer_close = fmt(aClose);
    this.specials = sp;
    this.addBos = spec.addBos ?? true;
    this.sourceJson = spec.sourceJson;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const s of this.splitter.split(text)) {
      if (s.added) {
        out.push(this.addedIds.get(s.text)!);
        continue;
      }
      for (const piece of s.text.match(GPT2_SPLIT) ?? []) {
        const ids = this.encodeWord(piece);
        for (const id of ids) out.push(id);
      }
    }
    return out;
  }

  /** BPE of one pre-token (plain text, not yet byte-level), cached. */
  private encodeWord(piece: string): number[] {
    const hit = this.cache.get(piece);
    if (hit) return hit;
    const ids = this.bpe(utf8.encode(piece));
    if (this.cache.size >= WORD_CACHE_LIMIT) this.cache.clear();
    this.cache.set(piece, ids);
    return ids;
  }

  /**
   * Merge adjacent symbols, lowest rank first, leftmost among equal ranks (a heap keyed by
   * rank·n + position, with stale entries skipped), as tokenizers.js and Rust tokenizers do.
   */
  private bpe(bytes: Uint8Array): number[] {
    const n = bytes.length;
    const sym = new Int32Array(n);
    for (let i = 0; i < n; i++) sym[i] = this.byteId[bytes[i]!]!;
    if (n < 2 || this.rank.size === 0) return Array.from(sym);
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    const alive = new Uint8Array(n).fill(1);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    // heap of [score, pos, leftSym, rightSym]; score = rank * n + pos
    const heap: number[][] = [];
    const push = (e: number[]) => {
      heap.push(e);
      let i = heap.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heap[p]![0]! <= e[0]!) break;
        heap[i] = heap[p]!;
        i = p;
      }
      heap[i] = e;
    };
    const pop = (): number[] => {
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length > 0) {
        let i = 0;
        const m = heap.length;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= m) break;
          const r = l + 1;
          const c = r < m && heap[r]![0]! < heap[l]![0]! ? r : l;
          if (heap[c]![0]! >= last[0]!) break;
          heap[i] = heap[c]!;
          i = c;
        }
        heap[i] = last;
      }
      return top;
    };
    const consider = (pos: number) => {
      const q = next[pos]!;
      if (q < 0) return;
      const r = this.rank.get(pairKey(sym[pos]!, sym[q]!));
      if (r !== undefined) push([r * n + pos, pos, sym[pos]!, sym[q]!]);
    };
    for (let i = 0; i + 1 < n; i++) consider(i);
    while (heap.length > 0) {
      const [score, pos, a, b] = pop() as [number, number, number, number];
      if (!alive[pos] || sym[pos] !== a) continue;
      const q = next[pos]!;
      if (q < 0 || sym[q] !== b) continue;
      // merge q into pos
      sym[pos] = this.mergedId[Math.floor(score / n)]!;
      alive[q] = 0;
      next[pos] = next[q]!;
      if (next[q]! >= 0) prev[next[q]!] = pos;
      if (prev[pos]! >= 0) consider(prev[pos]!);
      consider(pos);
    }
    const out: number[] = [];
    for (let i = 0; i >= 0; i = next[i]!) out.push(sym[i]!);
    return out;
  }

  decode(ids: readonly number[], opts: { skipSpecialTokens?: boolean } = {}): string {
    let text = '';
    let run: string[] = [];
    const flush = () => {
      if (run.length) text += byteLevelDecode(run);
      run = [];
    };
    for (const id of ids) {
      const added = this.addedById.get(id);
      if (added) {
        if (opts.skipSpecialTokens && added.special) continue;
        flush();
        text += added.content;
        continue;
      }
      const t = this.vocab[id];
      // ids past the tokenizer (an embedding padded beyond it) decode to nothing
      if (t !== undefined) run.push(t);
    }
    flush();
    return text;
  }

  idToToken(id: number): string | undefined {
    return this.vocab[id];
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** the added tokens (specials, format markers, caller's extras) with their ids */
  addedTokens(): readonly AddedTokenEntry[] {
    return this.added;
  }

  /** merge rules in rank order */
  mergeRules(): ReadonlyArray<readonly [string, string]> {
    return this.merges;
  }

  /** the token strings of BOS/EOS/PAD */
  specialTokenStrings(): { bos: string; eos: string; pad: string } {
    return { ...this.tokenNames };
  }

  toJSON(): Record<string, unknown> {
    if (this.sourceJson) return this.sourceJson;
    const vocab: Record<string, number> = {};
    this.vocab.forEach((t, id) => (vocab[t] = id));
    const bos = this.tokenNames.bos;
    const seq = (id: 'A' | 'B', type_id: number) => ({ Sequence: { id, type_id } });
    const special = (type_id: number) => ({ SpecialToken: { id: bos, type_id } });
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      // normalized:false on every added token: matched on the raw text in one leftmost-longest pass,
      // the same in Rust tokenizers and tokenizers.js (no normalizer either way)
      added_tokens: this.added.map((t) => ({ id: t.id, content: t.content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: t.special })),
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      // like Llama: `tokenizer(text)` starts with BOS; add_special_tokens=false gives exactly encode()
      post_processor: this.addBos
        ? { type: 'TemplateProcessing', single: [special(0), seq('A', 0)], pair: [special(0), seq('A', 0), special(1), seq('B', 1)], special_tokens: { [bos]: { id: bos, ids: [this.specials.bos], tokens: [bos] } } }
        : { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
      decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab,
        // "a b" strings: readable by every tokenizers version (byte-level tokens never hold a space)
        merges: this.merges.map(([a, b]) => `${a} ${b}`),
      },
    };
  }
}
