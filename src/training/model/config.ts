/**
 * The model's shape, in Hugging Face LlamaConfig terms, and the parameter list with HF tensor
 * names and [out, in] layouts, so a checkpoint round-trips through transformers unchanged.
 * Pure data: shared by the CPU reference model, the GPU model, checkpoints and export.
 */

export interface LlamaConfig {
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  /** grouped-query attention: num_attention_heads must be a multiple of this */
  num_key_value_heads: number;
  /** hidden_size / num_attention_heads unless a checkpoint says otherwise */
  head_dim: number;
  max_position_embeddings: number;
  rms_norm_eps: number;
  rope_theta: number;
  tie_word_embeddings: boolean;
}

export type PresetName = 'micro' | 'workshop' | 'laptop' | 'desktop';
export const PRESET_NAMES: readonly PresetName[] = ['micro', 'workshop', 'laptop', 'desktop'];

/** Shapes without the vocabulary (the tokenizer decides it). Parameter counts are for a 1,024-token vocabulary. */
export const PRESETS: Record<PresetName, Omit<LlamaConfig, 'vocab_size'>> = {
  // ≤ 0.3M parameters: tests and CI on a software GPU
  micro: { hidden_size: 64, intermediate_size: 176, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, max_position_embeddings: 256, rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: true },
  // ~1M: classroom machines
  workshop: { hidden_size: 128, intermediate_size: 352, num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 4, head_dim: 32, max_position_embeddings: 512, rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: true },
  // ~5M
  laptop: { hidden_size: 256, intermediate_size: 688, num_hidden_layers: 6, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 32, max_position_embeddings: 1024, rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: true },
  // ~20M
  desktop: { hidden_size: 384, intermediate_size: 1024, num_hidden_layers: 10, num_attention_heads: 6, num_key_value_heads: 6, head_dim: 64, max_position_embeddings: 1024, rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: true },
};

export function presetConfig(name: PresetName, vocabSize: number): LlamaConfig {
  return { ...PRESETS[name], vocab_size: vocabSize };
}

export interface ParamSpec {
  /** Hugging Face tensor name, e.g. "model.layers.0.self_attn.q_proj.weight" */
  name: string;
  /** [out, in] for linear layers (y = x·Wᵀ), [vocab, hidden] for embeddings, [hidden] for norms */
  shape: number[];
  /** initialisation: normal(0, std) for matrices, ones for norms */
  init: 'normal' | 'ones';
}

/** Every trainable tensor in HF order. lm_head.weight only when the head is untied. */
export function parameterSpecs(c: LlamaConfig): ParamSpec[] {
  const { hidden_size: h, intermediate_size: f, head_dim: hd } = c;
  const q = c.num_attention_heads * hd;
  const kv = c.num_key_value_heads * hd;
  const specs: ParamSpec[] = [{ name: 'model.embed_tokens.weight', shape: [c.vocab_size, h], init: 'normal' }];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    specs.push(
      { name: `${p}.input_layernorm.weight`, shape: [h], init: 'ones' },
      { name: `${p}.self_attn.q_proj.weight`, shape: [q, h], init: 'normal' },
      { name: `${p}.self_attn.k_proj.weight`, shape: [kv, h], init: 'normal' },
      { name: `${p}.self_attn.v_proj.weight`, shape: [kv, h], init: 'normal' },
      { name: `${p}.self_attn.o_proj.weight`, shape: [h, q], init: 'normal' },
      { name: `${p}.post_attention_layernorm.weight`, shape: [h], init: 'ones' },
      { name: `${p}.mlp.gate_proj.weight`, shape: [f, h], init: 'normal' },
      { name: `${p}.mlp.up_proj.weight`, shape: [f, h], init: 'normal' },
      { name: `${p}.mlp.down_proj.weight`, shape: [h, f], init: 'normal' },
    );
  }
  specs.push({ name: 'model.norm.weight', shape: [h], init: 'ones' });
  if (!c.tie_word_embeddings) specs.push({ name: 'lm_head.weight', shape: [c.vocab_size, h], init: 'normal' });
  return specs;
}

export const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export function parameterCount(c: LlamaConfig): number {
  return parameterSpecs(c).reduce((s, p) => s + numel(p.shape), 0);
}

/** Weights by HF name, row-major in the spec's shape. */
export type Weights = Map<string, Float32Array>;

/** Problems with a config, each naming the field: [] when it is usable. */
export function validateConfig(c: LlamaConfig): string[] {
  const errs: string[] = [];
  const ints: (keyof LlamaConfig)[] = ['vocab_size', 'hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'head_dim', 'max_position_embeddings'];
  for (const k of ints) if (!Number.isInteger(c[k]) || (c[k] as number) < 1) errs.push(`${k} must be a positive integer, got ${String(c[k])}`);
  if (c.num_attention_heads % c.num_key_value_heads !== 0) errs.push(`num_attention_heads (${c.num_attention_heads}) must be a multiple of num_key_value_heads (${c.num_key_value_heads})`);
  if (c.head_dim % 2 !== 0) errs.push(`head_dim must be even for rotary embeddings, got ${c.head_dim}`);
  if (!(c.rms_norm_eps > 0)) errs.push(`rms_norm_eps must be > 0, got ${c.rms_norm_eps}`);
  if (!(c.rope_theta > 0)) errs.push(`rope_theta must be > 0, got ${c.rope_theta}`);
  return errs;
}
