/** Test support: small Llama configs with seeded random weights and a trained tokenizer. */
import { parameterSpecs, numel, type LlamaConfig, type Weights } from '../model/config';
import { trainBpe } from '../tokenizer/bpe-train';
import type { ByteLevelBpeTokenizer } from '../tokenizer/bpe-tokenizer';
import { Rng } from '../../synthesis/rng';

export function tinyTokenizer(): ByteLevelBpeTokenizer {
  const corpus = ['Which drug treats type 2 diabetes? <think>metformin lowers glucose</think><answer>B</answer>', 'Aspirin inhibits COX-1 and COX-2.'];
  return trainBpe(Array(5).fill(corpus).flat(), { vocabSize: 300, addedTokens: ['type 2 diabetes', 'metformin'] });
}

/** GQA (4 query heads over 2 key/value heads), untied head unless `tied` */
export function tinyConfig(vocab: number, tied = false): LlamaConfig {
  return { vocab_size: vocab, hidden_size: 32, intermediate_size: 48, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 8, max_position_embeddings: 64, rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: tied };
}

export function randomWeights(c: LlamaConfig, seed = 7): Weights {
  const g = new Rng(seed);
  const r = () => g.next();
  const w: Weights = new Map();
  for (const s of parameterSpecs(c)) {
    const a = new Float32Array(numel(s.shape));
    for (let i = 0; i < a.length; i++) a[i] = s.init === 'ones' ? 1 + 0.1 * (r() - 0.5) : 0.04 * (r() - 0.5);
    w.set(s.name, a);
  }
  return w;
}

const enc = new TextEncoder();

/** A llama2.c-style model in its own conventions: [out, in] matrices, interleaved RoPE pairs. */
export function l2cModel(o: { dim: number; hidden: number; layers: number; heads: number; kv: number; vocab: number; seq: number; shared: boolean }, seed = 1) {
  const r = new Rng(seed);
  const hs = o.dim / o.heads;
  const rand = (n: number, base = 0) => Float32Array.from({ length: n }, () => base + 0.2 * (r.next() - 0.5));
  const L = o.layers;
  return {
    ...o,
    hs,
    emb: rand(o.vocab * o.dim),
    attNorm: Array.from({ length: L }, () => rand(o.dim, 1)),
    wq: Array.from({ length: L }, () => rand(o.dim * o.dim)),
    wk: Array.from({ length: L }, () => rand(o.kv * hs * o.dim)),
    wv: Array.from({ length: L }, () => rand(o.kv * hs * o.dim)),
    wo: Array.from({ length: L }, () => rand(o.dim * o.dim)),
    ffnNorm: Array.from({ length: L }, () => rand(o.dim, 1)),
    w1: Array.from({ length: L }, () => rand(o.hidden * o.dim)),
    w2: Array.from({ length: L }, () => rand(o.dim * o.hidden)),
    w3: Array.from({ length: L }, () => rand(o.hidden * o.dim)),
    norm: rand(o.dim, 1),
    head: o.shared ? null : rand(o.vocab * o.dim),
  };
}
export type L2c = ReturnType<typeof l2cModel>;

/** export.py legacy_export (version 0) or version1_export, byte for byte */
export function writeL2c(m: L2c, version: 0 | 1): Uint8Array {
  const parts: Float32Array[] = [];
  const header = new Int32Array([m.dim, m.hidden, m.layers, m.heads, m.kv, version === 0 && !m.shared ? -m.vocab : m.vocab, m.seq]);
  let head: Uint8Array;
  if (version === 0) {
    head = new Uint8Array(header.buffer);
    const rope = new Float32Array(m.seq * m.hs); // cos and sin tables, unused by loaders
    parts.push(m.emb, ...m.attNorm, ...m.wq, ...m.wk, ...m.wv, ...m.wo, ...m.ffnNorm, ...m.w1, ...m.w2, ...m.w3, m.norm, rope);
  } else {
    head = new Uint8Array(256);
    const dv = new DataView(head.buffer);
    dv.setUint32(0, 0x616b3432, true);
    dv.setInt32(4, 1, true);
    head.set(new Uint8Array(header.buffer), 8);
    head[36] = m.shared ? 1 : 0;
    parts.push(...m.attNorm, ...m.ffnNorm, m.norm, m.emb, ...m.wq, ...m.wk, ...m.wv, ...m.wo, ...m.w1, ...m.w2, ...m.w3);
  }
  if (m.head) parts.push(m.head);
  const total = head.length + parts.reduce((a, p) => a + p.byteLength, 0);
  const out = new Uint8Array(total);
  out.set(head, 0);
  let off = head.length;
  for (const p of parts) (out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), off), (off += p.byteLength));
  return out;
}

/**
 * A SentencePiece-BPE-like vocabulary in llama2.c's tokenizer.bin layout: <unk>, BOS, EOS, the
 * 256 byte tokens, merged pieces by descending score, then single characters. Pieces use " "
 * where SentencePiece has "▁", as llama2.c's tokenizer.py writes them.
 */
export function spVocab(corpus: string[], nMerges: number): { raw: string[]; scores: number[] } {
  let words = new Map<string, number>();
  for (const t of corpus) for (const w of t.split(' ')) if (w) words.set(' ' + w, (words.get(' ' + w) ?? 0) + 1);
  let seqs = [...words].map(([w, f]) => ({ s: Array.from(w), f }));
  const chars = [...new Set(seqs.flatMap((x) => x.s))];
  const merged: string[] = [];
  for (let k = 0; k < nMerges; k++) {
    const c = new Map<string, number>();
    for (const { s, f } of seqs) for (let i = 0; i + 1 < s.length; i++) c.set(s[i] + '\u0000' + s[i + 1], (c.get(s[i] + '\u0000' + s[i + 1]) ?? 0) + f);
    let best = '';
    let bc = 1;
    for (const [p, n] of c) if (n > bc) (best = p, (bc = n));
    if (!best) break;
    const [a, b] = best.split('\u0000') as [string, string];
    if (!merged.includes(a + b)) merged.push(a + b);
    seqs = seqs.map(({ s, f }) => {
      const o: string[] = [];
      for (let i = 0; i < s.length; ) if (i + 1 < s.length && s[i] === a && s[i + 1] === b) (o.push(a + b), (i += 2)); else o.push(s[i++]!);
      return { s: o, f };
    });
  }
  const raw = ['<unk>', '\n<s>\n', '\n</s>\n', ...Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`), ...merged, ...chars.filter((ch) => !merged.includes(ch))];
  const scores = raw.map((_, i) => (i < 259 ? 0 : -(i - 259)));
  return { raw, scores };
}

export function writeTokBin(raw: string[], scores: number[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const bytes = raw.map((t) => enc.encode(t));
  const head = new Uint8Array(4);
  new DataView(head.buffer).setUint32(0, Math.max(...bytes.map((b) => b.length)), true);
  chunks.push(head);
  bytes.forEach((b, i) => {
    const e = new Uint8Array(8);
    new DataView(e.buffer).setFloat32(0, scores[i]!, true);
    new DataView(e.buffer).setUint32(4, b.length, true);
    chunks.push(e, b);
  });
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let o = 0;
  for (const c of chunks) (out.set(c, o), (o += c.length));
  return out;
}

