/**
 * config.json ⇄ LlamaConfig. Writing produces what transformers' LlamaConfig saves (the fields
 * our maths implements, stated explicitly). Reading takes any Llama checkpoint's config.json,
 * tolerates the extra fields real files carry, and refuses — naming the field — what our model
 * does not compute: other architectures, RoPE scaling, biases, non-SiLU activations, quantization.
 */
import { validateConfig, type LlamaConfig } from '../model/config';

type Json = Record<string, unknown>;

export interface SpecialTokenIds {
  bos: number | null;
  eos: number | null;
  pad: number | null;
}

export function configToJson(c: LlamaConfig, ids: SpecialTokenIds): Json {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    attention_bias: false,
    attention_dropout: 0.0,
    bos_token_id: ids.bos,
    eos_token_id: ids.eos,
    pad_token_id: ids.pad,
    head_dim: c.head_dim,
    hidden_act: 'silu',
    hidden_size: c.hidden_size,
    initializer_range: 0.02,
    intermediate_size: c.intermediate_size,
    max_position_embeddings: c.max_position_embeddings,
    mlp_bias: false,
    num_attention_heads: c.num_attention_heads,
    num_hidden_layers: c.num_hidden_layers,
    num_key_value_heads: c.num_key_value_heads,
    pretraining_tp: 1,
    rms_norm_eps: c.rms_norm_eps,
    rope_scaling: null,
    rope_theta: c.rope_theta,
    tie_word_embeddings: c.tie_word_embeddings,
    torch_dtype: 'float32',
    use_cache: true,
    vocab_size: c.vocab_size,
  };
}

export interface ParsedConfig {
  config: LlamaConfig;
  /** bos/eos/pad ids from config.json (eos may be a list: every id that ends generation) */
  bosId: number | null;
  eosIds: number[];
  padId: number | null;
  /** the dtype the checkpoint says it was saved in (torch_dtype / dtype), informational */
  dtype: string | null;
  /** things accepted but worth telling the user */
  warnings: string[];
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function idList(v: unknown): number[] {
  if (typeof v === 'number' && Number.isInteger(v)) return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number' && Number.isInteger(x));
  return [];
}

/** Read a config.json (text or parsed) of a Llama checkpoint. Throws one error listing every problem. */
export function configFromJson(src: string | unknown, fileName = 'config.json'): ParsedConfig {
  let j: unknown = src;
  if (typeof src === 'string') {
    try {
      j = JSON.parse(src);
    } catch (e) {
      throw new Error(`${fileName} is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!isObj(j)) throw new Error(`${fileName} must hold a JSON object`);
  const problems: string[] = [];
  const warnings: string[] = [];
  const arch = Array.isArray(j.architectures) ? (j.architectures as unknown[]).map(String) : [];
  const modelType = typeof j.model_type === 'string' ? j.model_type : null;
  if (modelType !== null && modelType !== 'llama')
    problems.push(`model_type is "${modelType}": only Llama-architecture models (model_type "llama", LlamaForCausalLM) can be loaded`);
  else if (modelType === null && !arch.includes('LlamaForCausalLM'))
    problems.push(`neither model_type "llama" nor architectures ["LlamaForCausalLM"] is given (architectures: ${JSON.stringify(arch)})`);
  if (arch.length > 0 && !arch.includes('LlamaForCausalLM'))
    problems.push(`architectures is ${JSON.stringify(arch)}: only LlamaForCausalLM (a causal language-model head) is supported`);
  const num = (k: string, dflt?: number): number => {
    const v = j[k];
    if (v === undefined || v === null) {
      if (dflt !== undefined) return dflt;
      problems.push(`${k} is missing`);
      return NaN;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      problems.push(`${k} must be a number, got ${JSON.stringify(v)}`);
      return NaN;
    }
    return v;
  };
  const hidden = num('hidden_size');
  const heads = num('num_attention_heads');
  const hiddenAct = j.hidden_act ?? j.hidden_activation ?? 'silu';
  if (hiddenAct !== 'silu' && hiddenAct !== 'swish') problems.push(`hidden_act is ${JSON.stringify(hiddenAct)}: only "silu" (SwiGLU MLP) is supported`);
  if (j.attention_bias === true) problems.push('attention_bias is true: biases on the attention projections are not supported');
  if (j.mlp_bias === true) problems.push('mlp_bias is true: biases on the MLP projections are not supported');
  if (j.quantization_config !== undefined && j.quantization_config !== null) problems.push('quantization_config is present: quantized checkpoints (GPTQ, AWQ, bitsandbytes…) are not supported; pick the full-precision model');
  if (j.rope_scaling !== undefined && j.rope_scaling !== null) {
    const rs = j.rope_scaling as Json;
    const type = isObj(rs) ? rs.rope_type ?? rs.type : rs;
    if (type !== 'default') problems.push(`rope_scaling is ${JSON.stringify(j.rope_scaling)}: only plain RoPE is supported (rope_scaling null)`);
  }
  // transformers ≥ 5 writes RoPE settings as rope_parameters {rope_type, rope_theta}
  let ropeTheta = j.rope_theta;
  if (isObj(j.rope_parameters)) {
    const rp = j.rope_parameters;
    if (rp.rope_type !== undefined && rp.rope_type !== 'default') problems.push(`rope_parameters.rope_type is ${JSON.stringify(rp.rope_type)}: only "default" RoPE is supported`);
    if (ropeTheta === undefined) ropeTheta = rp.rope_theta;
  }
  // nanotron-exported configs (SmolLM2) state the RoPE layout; interleaved pairs would be a different rotation
  if (j.rope_interleaved === true) problems.push('rope_interleaved is true: only the rotate_half RoPE layout of transformers\' Llama is supported');
  if (typeof j.pretraining_tp === 'number' && j.pretraining_tp > 1) warnings.push(`pretraining_tp is ${j.pretraining_tp}: it only splits the same matmuls during pretraining; computed here without splitting`);
  if (j.sliding_window !== undefined && j.sliding_window !== null) problems.push(`sliding_window is ${JSON.stringify(j.sliding_window)}: sliding-window attention is not supported`);
  const config: LlamaConfig = {
    vocab_size: num('vocab_size'),
    hidden_size: hidden,
    intermediate_size: num('intermediate_size'),
    num_hidden_layers: num('num_hidden_layers'),
    num_attention_heads: heads,
    num_key_value_heads: num('num_key_value_heads', heads),
    head_dim: num('head_dim', hidden / heads),
    max_position_embeddings: num('max_position_embeddings', 2048),
    rms_norm_eps: num('rms_norm_eps', 1e-6),
    rope_theta: typeof ropeTheta === 'number' ? ropeTheta : 10000,
    // transformers' LlamaConfig default
    tie_word_embeddings: j.tie_word_embeddings === undefined ? false : j.tie_word_embeddings === true,
  };
  if (j.tie_word_embeddings !== undefined && typeof j.tie_word_embeddings !== 'boolean') problems.push(`tie_word_embeddings must be true or false, got ${JSON.stringify(j.tie_word_embeddings)}`);
  if (problems.length === 0) problems.push(...validateConfig(config));
  if (problems.length > 0) throw new Error(`${fileName} cannot be used:\n- ${problems.join('\n- ')}`);
  const one = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : null);
  const dtype = typeof j.torch_dtype === 'string' ? j.torch_dtype : typeof j.dtype === 'string' ? j.dtype : null;
  return { config, bosId: one(j.bos_token_id), eosIds: idList(j.eos_token_id), padId: one(j.pad_token_id), dtype, warnings };
}

/** generation_config.json for a checkpoint we export */
export function generationConfigJson(ids: SpecialTokenIds): Json {
  return { _from_model_config: true, bos_token_id: ids.bos, eos_token_id: ids.eos, pad_token_id: ids.pad };
}
