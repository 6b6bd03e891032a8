/**
 * karpathy/llama2.c checkpoints (the tinyllamas stories260K/15M/42M/110M): a `.bin` of float32
 * weights after a small header, and a `tokenizer.bin` / `tok512.bin` holding the SentencePiece
 * vocabulary with scores. Both convert to the Hugging Face layout the rest of the app uses:
 * weights under HF Llama names (q/k rows permuted from llama2.c's interleaved RoPE pairs to
 * transformers' rotate_half halves, as transformers' own conversion script does) and a
 * Llama-style tokenizer.json (BPE with byte fallback, merges ordered by piece score, as
 * transformers' LlamaConverter derives them). Export then writes an ordinary HF folder.
 *
 * Formats (llama2.c export.py / run.c / tokenizer.py):
 *  - version 0 ("legacy"): 7 int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size
 *    — negative when the output head is not shared —, seq_len), then embedding, per-layer
 *    attention norms, wq, wk, wv, wo, ffn norms, w1, w2, w3, final norm, RoPE cos/sin tables
 *    (seq_len·head_size/2 each, unused), and the head when unshared.
 *  - version 1: uint32 magic "ak42", int32 version 1, the 7 ints, uint8 shared flag, zero
 *    padding to 256 bytes, then norms first (attention, ffn, final), embedding, wq…w3, head.
 *  - version 2 (int8 Q8_0) is refused: quantized.
 *  - tokenizer: uint32 max_token_length, then per token float32 score, uint32 byte length,
 *    UTF-8 bytes; "▁" written as " ", BOS/EOS as "\n<s>\n" / "\n</s>\n".
 */
import type { LlamaConfig, Weights } from '../model/config';
import { validateConfig } from '../model/config';
import { tokenizerFromJson } from '../tokenizer/tokenizer-json';
import type { LoadedCheckpoint } from './checkpoint';

const MAGIC = 0x616b3432; // "ak42"

export interface Llama2cModel {
  config: LlamaConfig;
  weights: Weights;
  version: 0 | 1;
}

/**
 * Rows of a q or k projection from interleaved pairs (2i, 2i+1) to halves (i, i + d/2), per head:
 * transformers' `permute` in convert_llama_weights_to_hf.py.
 */
export function permuteRopeRows(w: Float32Array, nHeads: number, headDim: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  const half = headDim / 2;
  for (let h = 0; h < nHeads; h++)
    for (let i = 0; i < half; i++)
      for (let p = 0; p < 2; p++) {
        const src = (h * headDim + 2 * i + p) * cols;
        const dst = (h * headDim + p * half + i) * cols;
        out.set(w.subarray(src, src + cols), dst);
      }
  return out;
}

/** Parse a llama2.c model .bin (version 0 or 1, float32). */
export function parseLlama2cModel(bytes: Uint8Array, fileName = 'model.bin'): Llama2cModel {
  const bad = (what: string) => new Error(`${fileName}: ${what}`);
  if (bytes.byteLength < 28) throw bad(`only ${bytes.byteLength} bytes: too short for a llama2.c checkpoint`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let version: 0 | 1 = 0;
  let p = 0;
  if (dv.getUint32(0, true) === MAGIC) {
    const v = dv.getInt32(4, true);
    if (v === 2) throw bad('llama2.c export version 2 is int8-quantized (Q8_0); export the model with --version 0 or 1 (float32) instead');
    if (v !== 1) throw bad(`unknown llama2.c export version ${v}`);
    version = 1;
    p = 8;
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) throw bad('this is a zip archive (a PyTorch .pt/.bin pickle), not a llama2.c .bin export');
  const [dim, hidden, nLayers, nHeads, nKv, vocabSigned, seqLen] = Array.from({ length: 7 }, (_, i) => dv.getInt32(p + 4 * i, true)) as [number, number, number, number, number, number, number];
  const vocab = Math.abs(vocabSigned);
  const shared = version === 1 ? bytes[36] === 1 : vocabSigned > 0;
  const dims = { dim, hidden_dim: hidden, n_layers: nLayers, n_heads: nHeads, n_kv_heads: nKv, vocab_size: vocab, seq_len: seqLen };
  for (const [k, v] of Object.entries(dims))
    if (!(v > 0 && v < 1 << 24)) throw bad(`header field ${k} = ${v} is not plausible: not a llama2.c checkpoint (a HF folder needs config.json instead)`);
  if (dim % nHeads !== 0) throw bad(`dim ${dim} is not a multiple of n_heads ${nHeads}`);
  const hs = dim / nHeads;
  const kvDim = nKv * hs;
  const config: LlamaConfig = {
    vocab_size: vocab, hidden_size: dim, intermediate_size: hidden, num_hidden_layers: nLayers, num_attention_heads: nHeads,
    num_key_value_heads: nKv, head_dim: hs, max_position_embeddings: seqLen, rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: shared,
  };
  const errs = validateConfig(config);
  if (errs.length) throw bad(`header describes an unusable model: ${errs.join('; ')}`);
  const L = nLayers;
  const sizes = {
    emb: vocab * dim, attNorm: L * dim, wq: L * dim * dim, wk: L * dim * kvDim, wv: L * dim * kvDim, wo: L * dim * dim,
    ffnNorm: L * dim, w1: L * dim * hidden, w2: L * hidden * dim, w3: L * dim * hidden, norm: dim, rope: version === 0 ? seqLen * hs : 0, head: shared ? 0 : vocab * dim,
  };
  const floats = Object.values(sizes).reduce((a, b) => a + b, 0);
  const start = version === 1 ? 256 : 28;
  const want = start + 4 * floats;
  if (bytes.byteLength !== want)
    throw bad(`the header (dim ${dim}, hidden ${hidden}, ${nLayers} layers, ${nHeads}/${nKv} heads, vocab ${vocab}, seq ${seqLen}, ${shared ? 'shared' : 'separate'} head) implies ${want} bytes but the file has ${bytes.byteLength}${bytes.byteLength < want ? ': truncated' : ''}`);
  let off = start;
  const take = (n: number) => {
    const a = new Float32Array(bytes.slice(off, off + 4 * n).buffer);
    off += 4 * n;
    return a;
  };
  const t: Record<string, Float32Array> = {};
  const order = version === 0
    ? (['emb', 'attNorm', 'wq', 'wk', 'wv', 'wo', 'ffnNorm', 'w1', 'w2', 'w3', 'norm', 'rope', 'head'] as const)
    : (['attNorm', 'ffnNorm', 'norm', 'emb', 'wq', 'wk', 'wv', 'wo', 'w1', 'w2', 'w3', 'head'] as const);
  for (const k of order) t[k] = take(sizes[k]);
  const layer = (k: string, i: number, n: number) => t[k]!.subarray(i * n, (i + 1) * n);
  const weights: Weights = new Map();
  weights.set('model.embed_tokens.weight', t.emb!);
  for (let i = 0; i < L; i++) {
    const pre = `model.layers.${i}`;
    weights.set(`${pre}.input_layernorm.weight`, layer('attNorm', i, dim).slice());
    weights.set(`${pre}.self_attn.q_proj.weight`, permuteRopeRows(layer('wq', i, dim * dim), nHeads, hs, dim));
    weights.set(`${pre}.self_attn.k_proj.weight`, permuteRopeRows(layer('wk', i, dim * kvDim), nKv, hs, dim));
    weights.set(`${pre}.self_attn.v_proj.weight`, layer('wv', i, dim * kvDim).slice());
    weights.set(`${pre}.self_attn.o_proj.weight`, layer('wo', i, dim * dim).slice());
    weights.set(`${pre}.post_attention_layernorm.weight`, layer('ffnNorm', i, dim).slice());
    weights.set(`${pre}.mlp.gate_proj.weight`, layer('w1', i, dim * hidden).slice());
    weights.set(`${pre}.mlp.up_proj.weight`, layer('w3', i, dim * hidden).slice());
    weights.set(`${pre}.mlp.down_proj.weight`, layer('w2', i, dim * hidden).slice());
  }
  weights.set('model.norm.weight', t.norm!);
  if (!shared) weights.set('lm_head.weight', t.head!);
  // order as parameterSpecs (HF order)
  const ordered: Weights = new Map();
  const names = ['model.embed_tokens.weight'];
  for (let i = 0; i < L; i++) for (const n of ['input_layernorm', 'self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj', 'post_attention_layernorm', 'mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj']) names.push(`model.layers.${i}.${n}.weight`);
  names.push('model.norm.weight');
  if (!shared) names.push('lm_head.weight');
  for (const n of names) ordered.set(n, weights.get(n)!);
  return { config, weights: ordered, version };
}

export interface Llama2cVocab {
  /** SentencePiece pieces by id ("▁" restored, "<s>", "</s>") */
  pieces: string[];
  scores: number[];
}

/** Parse a llama2.c tokenizer.bin / tok512.bin. */
export function parseLlama2cTokenizer(bytes: Uint8Array, fileName = 'tokenizer.bin'): Llama2cVocab {
  const bad = (what: string) => new Error(`${fileName}: ${what}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 4) throw bad('too short for a llama2.c tokenizer');
  const maxLen = dv.getUint32(0, true);
  if (maxLen < 1 || maxLen > 1024) throw bad(`max_token_length ${maxLen} is not plausible: not a llama2.c tokenizer file`);
  const dec = new TextDecoder('utf-8', { fatal: false });
  const pieces: string[] = [];
  const scores: number[] = [];
  let p = 4;
  while (p < bytes.byteLength) {
    if (p + 8 > bytes.byteLength) throw bad(`truncated in the entry of token ${pieces.length}`);
    const score = dv.getFloat32(p, true);
    const len = dv.getUint32(p + 4, true);
    p += 8;
    if (len > maxLen || p + len > bytes.byteLength) throw bad(`token ${pieces.length} claims ${len} bytes (max_token_length ${maxLen}, ${bytes.byteLength - p} left): corrupt or truncated`);
    const raw = dec.decode(bytes.subarray(p, p + len));
    p += len;
    const id = pieces.length;
    pieces.push(id === 1 && raw === '\n<s>\n' ? '<s>' : id === 2 && raw === '\n</s>\n' ? '</s>' : raw.replaceAll(' ', '▁'));
    scores.push(score);
  }
  if (pieces.length < 259 || pieces[0] !== '<unk>' || pieces[3] !== '<0x00>' || pieces[258] !== '<0xFF>')
    throw bad(`expected <unk>, <s>, </s> and the 256 byte tokens <0x00>…<0xFF> first (a SentencePiece BPE vocabulary with byte fallback), found ${JSON.stringify(pieces.slice(0, 4))}…`);
  return { pieces, scores };
}

/**
 * BPE merges from a SentencePiece vocabulary: every split of every piece into two pieces, ranked by
 * the piece's score, highest first (transformers' SentencePieceExtractor).
 */
export function mergesFromScores(v: Llama2cVocab): Array<[string, string]> {
  const id = new Map<string, number>();
  v.pieces.forEach((p, i) => id.set(p, i));
  const all: Array<{ l: string; r: string; score: number }> = [];
  v.pieces.forEach((piece, i) => {
    const cps = Array.from(piece);
    const local: Array<{ l: string; r: string; score: number }> = [];
    for (let k = 1; k < cps.length; k++) {
      const l = cps.slice(0, k).join('');
      const r = cps.slice(k).join('');
      if (id.has(l) && id.has(r)) local.push({ l, r, score: v.scores[i]! });
    }
    local.sort((a, b) => id.get(a.l)! - id.get(b.l)! || id.get(a.r)! - id.get(b.r)!);
    all.push(...local);
  });
  all.sort((a, b) => b.score - a.score); // stable: ties keep piece order
  return all.map((m) => [m.l, m.r]);
}

/** tokenizer.json + tokenizer_config.json (Llama 2 style) for a llama2.c vocabulary. */
export function llama2cTokenizerFiles(v: Llama2cVocab, modelMaxLength: number): { tokenizerJson: Record<string, unknown>; tokenizerConfig: Record<string, unknown> } {
  const vocab: Record<string, number> = {};
  v.pieces.forEach((p, i) => {
    if (!(p in vocab)) vocab[p] = i;
  });
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const merges = mergesFromScores(v);
  const spaced = merges.some(([a, b]) => a.includes(' ') || b.includes(' '));
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] },
    pre_tokenizer: null,
    post_processor: { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }], pair: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '<s>', type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }], special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } } },
    decoder: { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }] },
    model: { type: 'BPE', dropout: null, unk_token: '<unk>', continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: true, byte_fallback: true, ignore_merges: false, vocab, merges: spaced ? merges : merges.map(([a, b]) => `${a} ${b}`) },
  };
  const tokenizerConfig = { tokenizer_class: 'LlamaTokenizer', bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', pad_token: null, add_bos_token: true, add_eos_token: false, clean_up_tokenization_spaces: false, legacy: true, model_max_length: modelMaxLength };
  return { tokenizerJson, tokenizerConfig };
}

const bytesOf = async (s: Uint8Array | Blob) => (s instanceof Uint8Array ? s : new Uint8Array(await s.arrayBuffer()));

/** Load a llama2.c model .bin with its tokenizer .bin as a checkpoint in HF terms. */
export async function loadLlama2cCheckpoint(model: Uint8Array | Blob, tokenizer: Uint8Array | Blob, names: { model?: string; tokenizer?: string } = {}): Promise<LoadedCheckpoint> {
  const m = parseLlama2cModel(await bytesOf(model), names.model);
  const v = parseLlama2cTokenizer(await bytesOf(tokenizer), names.tokenizer);
  if (v.pieces.length !== m.config.vocab_size)
    throw new Error(`${names.tokenizer ?? 'tokenizer.bin'} has ${v.pieces.length} tokens but ${names.model ?? 'the model'} has vocab_size ${m.config.vocab_size}: they do not belong together (stories260K uses tok512.bin; stories15M/42M/110M use llama2.c's tokenizer.bin)`);
  const { tokenizerJson, tokenizerConfig } = llama2cTokenizerFiles(v, m.config.max_position_embeddings);
  const tok = tokenizerFromJson(tokenizerJson, tokenizerConfig);
  return { config: m.config, weights: m.weights, tokenizer: tok, stopIds: [tok.specials.eos], dtypes: ['F32'], warnings: [`converted from a llama2.c version ${m.version} export (q/k rows permuted to the Hugging Face RoPE layout)`] };
}

/** llama2.c tokenizer file names: tokenizer.bin, tok512.bin, tok4096.bin, … */
export const isLlama2cTokenizerName = (name: string) => /^(tokenizer|tok\d+)\.bin$/.test(name);

/** Known llama2.c checkpoints on the hub whose tokenizer is in the same repository. */
export const LLAMA2C_HUB_MODELS = [
  { label: 'stories260K (llama2.c, 0.26M params, vocab 512)', modelId: 'karpathy/tinyllamas', model: 'stories260K/stories260K.bin', tokenizer: 'stories260K/tok512.bin' },
] as const;
