import { describe, expect, it } from 'vitest';
import { Rng } from '../../synthesis/rng';
import { exportCheckpointFolder, loadCheckpointFolder } from './checkpoint';
import { loadLlama2cCheckpoint, parseLlama2cModel, parseLlama2cTokenizer } from './llama2c';
import { l2cModel, spVocab, writeL2c, writeTokBin } from './test-helpers';

const enc = new TextEncoder();

const matvec = (w: Float32Array, x: Float32Array, rows: number) => Float64Array.from({ length: rows }, (_, i) => x.reduce((s, v, j) => s + w[i * x.length + j]! * v, 0));
/** llama2.c run.c RoPE: rotate pairs (2i, 2i+1) of each head by pos·10000^(-2i/hs) */
function ropeInterleaved(v: Float64Array, hs: number, pos: number) {
  const o = Float64Array.from(v);
  for (let i = 0; i < v.length; i += 2) {
    const f = pos / 10000 ** ((i % hs) / hs);
    o[i] = v[i]! * Math.cos(f) - v[i + 1]! * Math.sin(f);
    o[i + 1] = v[i]! * Math.sin(f) + v[i + 1]! * Math.cos(f);
  }
  return o;
}
/** transformers' apply_rotary_pos_emb: x·cos + rotate_half(x)·sin, halves (i, i + hs/2) */
function ropeHalf(v: Float64Array, hs: number, pos: number) {
  const o = Float64Array.from(v);
  const half = hs / 2;
  for (let h = 0; h < v.length; h += hs)
    for (let i = 0; i < half; i++) {
      const f = pos / 10000 ** ((2 * i) / hs);
      const a = v[h + i]!;
      const b = v[h + i + half]!;
      o[h + i] = a * Math.cos(f) - b * Math.sin(f);
      o[h + i + half] = b * Math.cos(f) + a * Math.sin(f);
    }
  return o;
}

describe('llama2.c model .bin', () => {
  const shape = { dim: 32, hidden: 48, layers: 2, heads: 4, kv: 2, vocab: 300, seq: 64 };

  for (const version of [0, 1] as const)
    for (const shared of [true, false]) {
      it(`version ${version}, ${shared ? 'shared' : 'separate'} head: tensors land under HF names`, () => {
        const m = l2cModel({ ...shape, shared });
        const { config, weights } = parseLlama2cModel(writeL2c(m, version));
        expect(config).toEqual({ vocab_size: 300, hidden_size: 32, intermediate_size: 48, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 8, max_position_embeddings: 64, rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: shared });
        expect(weights.get('model.embed_tokens.weight')).toEqual(m.emb);
        expect(weights.get('model.layers.1.mlp.gate_proj.weight')).toEqual(m.w1[1]);
        expect(weights.get('model.layers.1.mlp.up_proj.weight')).toEqual(m.w3[1]);
        expect(weights.get('model.layers.0.mlp.down_proj.weight')).toEqual(m.w2[0]);
        expect(weights.get('model.layers.0.self_attn.v_proj.weight')).toEqual(m.wv[0]);
        expect(weights.get('model.layers.1.self_attn.o_proj.weight')).toEqual(m.wo[1]);
        expect(weights.get('model.layers.1.input_layernorm.weight')).toEqual(m.attNorm[1]);
        expect(weights.get('model.layers.0.post_attention_layernorm.weight')).toEqual(m.ffnNorm[0]);
        expect(weights.get('model.norm.weight')).toEqual(m.norm);
        expect(weights.get('lm_head.weight')).toEqual(m.head ?? undefined);
      });
    }

  it('permuted q/k give the same attention scores under HF RoPE as the originals under llama2.c RoPE (GQA)', () => {
    const m = l2cModel({ ...shape, shared: true }, 3);
    const { weights } = parseLlama2cModel(writeL2c(m, 0));
    const r = new Rng(9);
    const x = Float32Array.from({ length: 32 }, () => r.next() - 0.5);
    const y = Float32Array.from({ length: 32 }, () => r.next() - 0.5);
    for (const layer of [0, 1])
      for (const [pm, pn] of [[5, 2], [17, 17], [40, 0]] as const) {
        const qA = ropeInterleaved(matvec(m.wq[layer]!, x, 32), 8, pm);
        const kA = ropeInterleaved(matvec(m.wk[layer]!, y, 16), 8, pn);
        const qB = ropeHalf(matvec(weights.get(`model.layers.${layer}.self_attn.q_proj.weight`)!, x, 32), 8, pm);
        const kB = ropeHalf(matvec(weights.get(`model.layers.${layer}.self_attn.k_proj.weight`)!, y, 16), 8, pn);
        for (let h = 0; h < 4; h++) {
          const kv = Math.floor(h / 2); // two query heads share a key head
          let a = 0;
          let b = 0;
          for (let d = 0; d < 8; d++) {
            a += qA[h * 8 + d]! * kA[kv * 8 + d]!;
            b += qB[h * 8 + d]! * kB[kv * 8 + d]!;
          }
          expect(b).toBeCloseTo(a, 10);
        }
      }
  });

  it('refuses truncated, quantized and foreign files', () => {
    const bin = writeL2c(l2cModel({ ...shape, shared: true }), 0);
    expect(() => parseLlama2cModel(bin.subarray(0, bin.length - 4), 'stories.bin')).toThrow(/stories.bin: the header \(dim 32, hidden 48, 2 layers, 4\/2 heads, vocab 300, seq 64, shared head\) implies \d+ bytes but the file has \d+: truncated/);
    const v2 = writeL2c(l2cModel({ ...shape, shared: true }), 1);
    new DataView(v2.buffer).setInt32(4, 2, true);
    expect(() => parseLlama2cModel(v2)).toThrow(/version 2 is int8-quantized/);
    expect(() => parseLlama2cModel(enc.encode('PK\u0003\u0004 some zip archive body here...'))).toThrow(/zip archive/);
    expect(() => parseLlama2cModel(enc.encode('{"model_type": "llama", "hidden_size": 5}'))).toThrow(/is not plausible: not a llama2.c checkpoint/);
  });
});

/** llama2.c run.c encode(), ported: dummy " " prefix, code points or byte fallback, then best-score merges. */
function runcEncode(raw: string[], scores: number[], text: string): number[] {
  const lookup = new Map<string, number>();
  raw.forEach((t, i) => lookup.has(t) || lookup.set(t, i));
  const tokens: number[] = [];
  if (text !== '') tokens.push(lookup.get(' ')!);
  for (const cp of text) {
    const id = lookup.get(cp);
    if (id !== undefined) tokens.push(id);
    else for (const b of enc.encode(cp)) tokens.push(b + 3);
  }
  for (;;) {
    let best = -1e10;
    let bestId = -1;
    let bestIdx = -1;
    for (let i = 0; i + 1 < tokens.length; i++) {
      const id = lookup.get(raw[tokens[i]!]! + raw[tokens[i + 1]!]!);
      if (id !== undefined && scores[id]! > best) (best = scores[id]!, (bestId = id), (bestIdx = i));
    }
    if (bestIdx < 0) break;
    tokens.splice(bestIdx, 2, bestId);
  }
  return tokens;
}

describe('llama2.c tokenizer .bin', () => {
  const corpus = ['Once upon a time there was a little girl named Lily', 'She liked to play outside in the sun with her dog', 'One day the little dog found a big red ball', 'They played all day and were very happy'];
  const { raw, scores } = spVocab(Array(3).fill(corpus).flat(), 120);
  const bin = writeTokBin(raw, scores);

  it('parses pieces (▁ restored, BOS/EOS named) and scores', () => {
    const v = parseLlama2cTokenizer(bin);
    expect(v.pieces.slice(0, 4)).toEqual(['<unk>', '<s>', '</s>', '<0x00>']);
    expect(v.pieces).toContain('▁the');
    expect(v.scores.length).toBe(raw.length);
  });

  it('the converted tokenizer.json encodes like llama2.c run.c and decodes back', async () => {
    const m = l2cModel({ dim: 16, hidden: 32, layers: 1, heads: 2, kv: 2, vocab: raw.length, seq: 32, shared: true });
    const ck = await loadLlama2cCheckpoint(writeL2c(m, 0), bin, { model: 'stories.bin', tokenizer: 'tok512.bin' });
    const tok = ck.tokenizer;
    expect(tok.specials).toMatchObject({ bos: 1, eos: 2 });
    expect(tok.addBos).toBe(true);
    const texts = [...corpus, 'Lily and the dog', 'the  double  spaces', 'Émile ate crème brûlée 🍮', 'new\nline and\ttab', 'x', 'unseen words: zebra quantum'];
    for (const t of texts) {
      expect(tok.encode(t), t).toEqual(runcEncode(raw, scores, t));
      expect(tok.decode(tok.encode(t))).toBe(t);
    }
  });

  it('a folder with model .bin + tok .bin loads, exports as an HF folder, and reloads identically', async () => {
    const m = l2cModel({ dim: 16, hidden: 32, layers: 2, heads: 2, kv: 1, vocab: raw.length, seq: 32, shared: false });
    const ck = await loadCheckpointFolder(new Map([['stories-test.bin', writeL2c(m, 0)], ['tok512.bin', bin]]));
    const hf = exportCheckpointFolder(ck.weights, ck.config, ck.tokenizer);
    const back = await loadCheckpointFolder(hf);
    expect(back.config).toEqual(ck.config);
    for (const [n, w] of ck.weights) expect(back.weights.get(n)).toEqual(w);
    expect(back.tokenizer.encode('Lily found a ball')).toEqual(ck.tokenizer.encode('Lily found a ball'));
    await expect(loadCheckpointFolder(new Map([['stories-test.bin', writeL2c(m, 0)]]))).rejects.toThrow(/looks like a llama2.c export: add its tokenizer/);
    const other = writeTokBin(raw.slice(0, 300), scores.slice(0, 300));
    await expect(loadCheckpointFolder(new Map([['stories-test.bin', writeL2c(m, 0)], ['tok512.bin', other]]))).rejects.toThrow(/tok512.bin has 300 tokens but stories-test.bin has vocab_size \d+/);
  });
});
