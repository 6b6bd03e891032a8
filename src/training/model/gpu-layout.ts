/**
 * Where every weight lives in the GPU model's flat parameter buffer. One buffer (and one each
 * for gradients and the two AdamW moments, same layout) lets clipping and AdamW run as three
 * dispatches for the whole model, and lets projections that read the same input be stacked:
 * q_proj, k_proj, v_proj are consecutive rows of one [(nh + 2·nkv)·d, h] matrix, gate_proj and
 * up_proj of one [2f, h] matrix, so each group is a single matmul. Matrices come first (weight
 * decay), the RMSNorm weights last (no decay, as HF Trainer), every tensor aligned to 64 floats.
 */
import { numel, parameterSpecs, type LlamaConfig, type Weights } from './config';

const ALIGN = 64;
const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

export interface LayerOffsets {
  ln1: number;
  /** q rows, then k, then v */
  qkv: number;
  o: number;
  ln2: number;
  /** gate rows, then up */
  gu: number;
  down: number;
}

export interface ParamLayout {
  /** element offset and size of every HF tensor (q/k/v and gate/up inside their stacks) */
  tensors: Map<string, { offset: number; size: number }>;
  layers: LayerOffsets[];
  embed: number;
  /** the output head: the embedding when tied */
  head: number;
  norm: number;
  /** elements before this get weight decay */
  decayEnd: number;
  total: number;
}

export function paramLayout(c: LlamaConfig): ParamLayout {
  const { hidden_size: h, intermediate_size: f, head_dim: d } = c;
  const q = c.num_attention_heads * d;
  const kv = c.num_key_value_heads * d;
  const tensors = new Map<string, { offset: number; size: number }>();
  let at = 0;
  const put = (name: string, size: number) => {
    tensors.set(name, { offset: at, size });
    at += size;
  };
  const layers: LayerOffsets[] = [];
  const embed = at;
  put('model.embed_tokens.weight', c.vocab_size * h);
  at = align(at);
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    const qkv = at;
    put(`${p}.self_attn.q_proj.weight`, q * h);
    put(`${p}.self_attn.k_proj.weight`, kv * h);
    put(`${p}.self_attn.v_proj.weight`, kv * h);
    at = align(at);
    const o = at;
    put(`${p}.self_attn.o_proj.weight`, h * q);
    at = align(at);
    const gu = at;
    put(`${p}.mlp.gate_proj.weight`, f * h);
    put(`${p}.mlp.up_proj.weight`, f * h);
    at = align(at);
    const down = at;
    put(`${p}.mlp.down_proj.weight`, h * f);
    at = align(at);
    layers.push({ ln1: 0, qkv, o, ln2: 0, gu, down });
  }
  let head = embed;
  if (!c.tie_word_embeddings) {
    head = at;
    put('lm_head.weight', c.vocab_size * h);
    at = align(at);
  }
  const decayEnd = at;
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    layers[i]!.ln1 = at;
    put(`${p}.input_layernorm.weight`, h);
    at = align(at);
    layers[i]!.ln2 = at;
    put(`${p}.post_attention_layernorm.weight`, h);
    at = align(at);
  }
  const norm = at;
  put('model.norm.weight', h);
  at = align(at);
  // every spec placed, none twice
  const specs = parameterSpecs(c);
  if (specs.length !== tensors.size || specs.some((s) => tensors.get(s.name)?.size !== numel(s.shape))) throw new Error('paramLayout does not cover parameterSpecs');
  return { tensors, layers, embed, head, norm, decayEnd, total: at };
}

/** The flat buffer's contents for a weight map (padding zero). */
export function flatten(layout: ParamLayout, w: Weights): Float32Array {
  const out = new Float32Array(layout.total);
  for (const [name, { offset }] of layout.tensors) out.set(w.get(name)!, offset);
  return out;
}

export function unflatten(layout: ParamLayout, flat: Float32Array, names: Iterable<string> = layout.tensors.keys()): Weights {
  const w: Weights = new Map();
  for (const name of names) {
    const t = layout.tensors.get(name)!;
    w.set(name, flat.slice(t.offset, t.offset + t.size));
  }
  return w;
}
