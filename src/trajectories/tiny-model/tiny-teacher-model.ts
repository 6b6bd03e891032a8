/**
 * A tiny causal LM for testing the transformers.js teacher offline: a word-level
 * tokenizer and a one-node ONNX graph (logits = Gather(transition, input_ids)), i.e. a
 * bigram model whose greedy continuation of any prompt is a fixed reasoning chain. It is
 * built in memory (config.json, generation_config.json, tokenizer.json,
 * tokenizer_config.json, onnx/model.onnx), so no model is downloaded or shipped.
 */
import { ONNX_FLOAT, ONNX_INT64, writeOnnxModel } from './onnx-writer';

export interface TinyModelFiles {
  /** path inside the model folder → contents */
  files: Record<string, Uint8Array>;
  /** the text the model generates greedily after any prompt */
  completion: string;
}

/** `chain`: whitespace-separated tokens, each used once (a bigram model cannot repeat a token and go on differently) */
export function tinyTeacherModel(chain: string): TinyModelFiles {
  const words = chain.split(/\s+/).filter(Boolean);
  if (new Set(words).size !== words.length) throw new Error('tiny model: every token of the chain must be distinct');
  const special = ['[UNK]', '</s>'];
  const vocabList = [...special, ...words];
  const V = vocabList.length;
  const id = (w: string) => vocabList.indexOf(w);
  // transition[i] = logits of the token after i: [UNK] (any prompt's last word) → first word → … → </s>
  const transition = new Float32Array(V * V);
  const next = (from: number, to: number) => (transition[from * V + to] = 10);
  next(id('[UNK]'), id(words[0]!));
  for (let i = 0; i + 1 < words.length; i++) next(id(words[i]!), id(words[i + 1]!));
  next(id(words[words.length - 1]!), id('</s>'));
  next(id('</s>'), id('</s>'));
  const onnx = writeOnnxModel({
    nodes: [{ op: 'Gather', inputs: ['transition', 'input_ids'], outputs: ['logits'], name: 'next_token' }],
    inputs: [{ name: 'input_ids', elemType: ONNX_INT64, dims: ['batch_size', 'sequence_length'] }],
    outputs: [{ name: 'logits', elemType: ONNX_FLOAT, dims: ['batch_size', 'sequence_length', V] }],
    initializers: [{ name: 'transition', dims: [V, V], data: transition }],
  });
  const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  const added = special.map((content, i) => ({ id: i, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  return {
    completion: words.join(' '),
    files: {
      'config.json': json({ model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], vocab_size: V, n_embd: V, n_head: 1, n_layer: 1, n_positions: 4096, bos_token_id: 1, eos_token_id: 1, use_cache: false }),
      'generation_config.json': json({ bos_token_id: 1, eos_token_id: 1, pad_token_id: 1 }),
      'tokenizer.json': json({
        version: '1.0',
        truncation: null,
        padding: null,
        added_tokens: added,
        normalizer: null,
        pre_tokenizer: { type: 'WhitespaceSplit' },
        post_processor: null,
        decoder: null,
        model: { type: 'WordLevel', vocab: Object.fromEntries(vocabList.map((w, i) => [w, i])), unk_token: '[UNK]' },
      }),
      'tokenizer_config.json': json({ tokenizer_class: 'PreTrainedTokenizerFast', model_max_length: 4096, eos_token: '</s>', unk_token: '[UNK]', pad_token: '</s>', clean_up_tokenization_spaces: false }),
      'onnx/model.onnx': onnx,
    },
  };
}
