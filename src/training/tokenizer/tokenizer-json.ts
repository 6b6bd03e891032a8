/**
 * tokenizer.json in and out. Files of our own shape (byte-level BPE, no normalizer, plain added
 * tokens) load into our encoder; anything else loads through Hugging Face's implementation
 * (hf-tokenizer.ts). Plus the tokenizer_config.json that goes beside a tokenizer we trained.
 */
import { BYTE_TO_CHAR } from './byte-level';
import { ByteLevelBpeTokenizer, type AddedTokenEntry, type ByteLevelBpeSpec } from './bpe-tokenizer';
import { HfTokenizer, configTokenName, type HfTokenizerOptions, type JsonObject } from './hf-tokenizer';
import { BOS, EOS, PAD, type Tokenizer } from './types';

const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parse tokenizer.json text (or take the parsed object), with a clear error when it is not one. */
export function parseTokenizerJson(src: string | unknown): JsonObject {
  let json: unknown = src;
  if (typeof src === 'string') {
    try {
      json = JSON.parse(src);
    } catch (e) {
      throw new Error(`tokenizer.json is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!isObj(json)) throw new Error('tokenizer.json must hold a JSON object');
  if (!isObj(json.model)) throw new Error('tokenizer.json has no "model" object (is this a tokenizer.json from the Hugging Face tokenizers library?)');
  if (!Array.isArray(json.added_tokens)) json = { ...json, added_tokens: [] };
  return json as JsonObject;
}

/**
 * The spec of a tokenizer.json our own encoder reproduces exactly, or null when it has anything
 * else (normalizers, other pre-tokenizers, dropout, byte fallback, stripping added tokens, …).
 */
function nativeSpec(json: JsonObject, config: JsonObject): ByteLevelBpeSpec | null {
  const model = json.model as JsonObject;
  const pre = json.pre_tokenizer;
  const dec = json.decoder;
  if (model.type !== 'BPE' || json.normalizer !== null && json.normalizer !== undefined) return null;
  if (!isObj(pre) || pre.type !== 'ByteLevel' || pre.add_prefix_space === true || pre.use_regex === false) return null;
  if (!isObj(dec) || dec.type !== 'ByteLevel') return null;
  if (model.dropout != null || model.continuing_subword_prefix != null || model.end_of_word_suffix != null || model.byte_fallback === true || model.ignore_merges === true) return null;
  if (!isObj(model.vocab) || !Array.isArray(model.merges)) return null;
  if (config.remove_space === true || config.do_lowercase_and_remove_accent === true) return null;
  const vocabObj = model.vocab as Record<string, unknown>;
  const vocab: string[] = [];
  for (const [t, id] of Object.entries(vocabObj)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) return null;
    if (vocab[id] !== undefined) return null;
    vocab[id] = t;
  }
  const added: AddedTokenEntry[] = [];
  for (const t of json.added_tokens as unknown[]) {
    if (!isObj(t) || typeof t.content !== 'string' || typeof t.id !== 'number') return null;
    if (t.lstrip === true || t.rstrip === true || t.single_word === true) return null;
    if (vocab[t.id] !== undefined && vocab[t.id] !== t.content) return null;
    vocab[t.id] = t.content;
    added.push({ id: t.id, content: t.content, special: t.special === true });
  }
  for (let i = 0; i < vocab.length; i++) if (vocab[i] === undefined) return null; // ids with holes
  for (const ch of BYTE_TO_CHAR) if (!vocab.includes(ch)) return null;
  const merges: Array<[string, string]> = [];
  for (const m of model.merges as unknown[]) {
    if (typeof m === 'string') {
      const parts = m.split(' ');
      if (parts.length !== 2) return null;
      merges.push([parts[0]!, parts[1]!]);
    } else if (Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string') merges.push([m[0], m[1]]);
    else return null;
  }
  const bosToken = configTokenName(config, 'bos_token') ?? BOS;
  const eosToken = configTokenName(config, 'eos_token') ?? EOS;
  const padToken = configTokenName(config, 'pad_token') ?? (vocab.includes(PAD) ? PAD : eosToken);
  if (![bosToken, eosToken, padToken].every((t) => vocab.includes(t))) return null;
  const post = json.post_processor;
  let addBos: boolean;
  if (typeof config.add_bos_token === 'boolean') addBos = config.add_bos_token;
  else if (isObj(post) && post.type === 'TemplateProcessing' && Array.isArray(post.single)) {
    const first = post.single[0] as JsonObject | undefined;
    addBos = isObj(first?.SpecialToken) && (first.SpecialToken as JsonObject).id === bosToken;
  } else addBos = false;
  return { vocab, merges, added, bosToken, eosToken, padToken, addBos };
}

/**
 * Load a tokenizer.json (+ its tokenizer_config.json, optional): ours or any Hugging Face one.
 * `toJSON()` of a loaded tokenizer returns the file as it was.
 */
export function tokenizerFromJson(src: string | unknown, config: JsonObject = {}, opts: HfTokenizerOptions = {}): Tokenizer {
  const json = parseTokenizerJson(src);
  const spec = nativeSpec(json, config);
  if (spec) {
    try {
      return new ByteLevelBpeTokenizer({ ...spec, sourceJson: json });
    } catch {
      // inconsistent in some way our encoder refuses: let the reference implementation judge it
    }
  }
  return new HfTokenizer(json, config, opts);
}

export interface TokenizerConfigOptions {
  /** longest sequence the model takes (config.json max_position_embeddings) */
  modelMaxLength: number;
  /** a Jinja chat template, when the task has a chat format */
  chatTemplate?: string;
}

/**
 * tokenizer_config.json for a tokenizer: a loaded Hugging Face one keeps its own file; one we
 * trained gets bos/eos/pad names, the length limit and no space clean-up on decode.
 */
export function tokenizerConfigJson(tok: Tokenizer, opts: TokenizerConfigOptions): JsonObject {
  if (tok instanceof HfTokenizer) return { ...tok.tokenizerConfig() };
  const name = (id: number) => tok.idToToken(id) ?? null;
  const cfg: JsonObject = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: name(tok.specials.bos),
    eos_token: name(tok.specials.eos),
    pad_token: name(tok.specials.pad),
    unk_token: null,
    add_bos_token: tok.addBos ?? true,
    add_eos_token: false,
    // decode exactly what was generated: no "clean-up" of spaces before punctuation
    clean_up_tokenization_spaces: false,
    model_max_length: opts.modelMaxLength,
    padding_side: 'right',
  };
  if (opts.chatTemplate !== undefined) cfg.chat_template = opts.chatTemplate;
  return cfg;
}
