import { describe, expect, it } from 'vitest';
import { parameterCount, PRESETS, presetConfig } from '../model/config';
import { configFromJson, configToJson } from './config-json';

// The config.json of HuggingFaceTB/SmolLM2-135M as published (nanotron export fields included).
const smolLM2 = {
  architectures: ['LlamaForCausalLM'], attention_bias: false, attention_dropout: 0.0, bos_token_id: 0, eos_token_id: 0,
  hidden_act: 'silu', hidden_size: 576, initializer_range: 0.041666666666666664, intermediate_size: 1536, is_llama_config: true,
  max_position_embeddings: 8192, model_type: 'llama', num_attention_heads: 9, num_hidden_layers: 30, num_key_value_heads: 3,
  pretraining_tp: 1, rms_norm_eps: 1e-5, rope_interleaved: false, rope_scaling: null, rope_theta: 100000,
  tie_word_embeddings: true, torch_dtype: 'bfloat16', transformers_version: '4.40.1', use_cache: true, vocab_size: 49152,
};

describe('config.json ⇄ LlamaConfig', () => {
  it('round-trips every preset', () => {
    for (const name of Object.keys(PRESETS) as (keyof typeof PRESETS)[]) {
      const c = presetConfig(name, 1024);
      const j = configToJson(c, { bos: 0, eos: 1, pad: 2 });
      const back = configFromJson(JSON.stringify(j));
      expect(back.config).toEqual(c);
      expect(back).toMatchObject({ bosId: 0, eosIds: [1], padId: 2, dtype: 'float32', warnings: [] });
    }
  });

  it('reads SmolLM2-135M: GQA 9/3, tied head, 134.5M parameters', () => {
    const p = configFromJson(smolLM2);
    expect(p.config).toEqual({ vocab_size: 49152, hidden_size: 576, intermediate_size: 1536, num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3, head_dim: 64, max_position_embeddings: 8192, rms_norm_eps: 1e-5, rope_theta: 100000, tie_word_embeddings: true });
    expect(parameterCount(p.config)).toBe(134_515_008);
    expect(p).toMatchObject({ dtype: 'bfloat16', bosId: 0, eosIds: [0], padId: null });
  });

  it('fills transformers defaults for fields old configs leave out', () => {
    const p = configFromJson({ model_type: 'llama', hidden_size: 288, intermediate_size: 768, num_hidden_layers: 6, num_attention_heads: 6, vocab_size: 32000, eos_token_id: [2, 3] });
    expect(p.config).toMatchObject({ num_key_value_heads: 6, head_dim: 48, max_position_embeddings: 2048, rms_norm_eps: 1e-6, rope_theta: 10000, tie_word_embeddings: false });
    expect(p.eosIds).toEqual([2, 3]);
  });

  it('reads transformers 5 rope_parameters', () => {
    const { rope_theta: _, ...rest } = smolLM2;
    expect(configFromJson({ ...rest, rope_parameters: { rope_type: 'default', rope_theta: 500000 } }).config.rope_theta).toBe(500000);
  });

  it('refuses what the model does not compute, naming each field', () => {
    const refuse = (patch: Record<string, unknown>, re: RegExp) => expect(() => configFromJson({ ...smolLM2, ...patch })).toThrow(re);
    refuse({ model_type: 'qwen2', architectures: ['Qwen2ForCausalLM'] }, /model_type is "qwen2": only Llama-architecture models/);
    refuse({ architectures: ['LlamaForSequenceClassification'] }, /architectures is \["LlamaForSequenceClassification"\]/);
    refuse({ rope_scaling: { rope_type: 'llama3', factor: 8 } }, /rope_scaling is \{"rope_type":"llama3","factor":8\}: only plain RoPE/);
    refuse({ rope_parameters: { rope_type: 'yarn', factor: 4 } }, /rope_parameters.rope_type is "yarn"/);
    refuse({ hidden_act: 'gelu' }, /hidden_act is "gelu": only "silu"/);
    refuse({ attention_bias: true }, /attention_bias is true/);
    refuse({ mlp_bias: true }, /mlp_bias is true/);
    refuse({ rope_interleaved: true }, /rope_interleaved is true/);
    refuse({ quantization_config: { quant_method: 'gptq' } }, /quantized checkpoints/);
    refuse({ num_key_value_heads: 4 }, /num_attention_heads \(9\) must be a multiple of num_key_value_heads \(4\)/);
    refuse({ hidden_size: undefined }, /hidden_size is missing/);
    refuse({ vocab_size: '49152' }, /vocab_size must be a number, got "49152"/);
    expect(() => configFromJson('{oops')).toThrow(/config.json is not valid JSON/);
    // several problems at once are all reported
    expect(() => configFromJson({ ...smolLM2, attention_bias: true, mlp_bias: true })).toThrow(/attention_bias is true[\s\S]*mlp_bias is true/);
  });

  it('accepts pretraining_tp > 1 with a warning (same maths, split matmuls)', () => {
    expect(configFromJson({ ...smolLM2, pretraining_tp: 2 }).warnings[0]).toMatch(/pretraining_tp is 2/);
  });
});
