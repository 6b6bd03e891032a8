/**
 * Any Hugging Face tokenizer.json behind our Tokenizer interface, for fine-tuning pretrained
 * bases (SmolLM2's GPT-2-style ByteLevel BPE, Llama/SentencePiece-style BPE with Metaspace and
 * byte fallback, …). The encoding is done by @huggingface/tokenizers — the very code
 * transformers.js v4 runs inside its PreTrainedTokenizer — so it is the reference by construction.
 */
import { Tokenizer as HfTokenizerImpl } from '@huggingface/tokenizers';
import { FORMAT_TOKENS, type SpecialTokens, type Tokenizer } from './types';

export type JsonObject = Record<string, unknown>;

/** A token named in tokenizer_config.json: a string or an AddedToken object `{content: …}`. */
export function configTokenName(config: JsonObject, key: string): string | null {
  const v = config[key];
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as JsonObject).content === 'string') return (v as JsonObject).content as string;
  return null;
}

export interface HfTokenizerOptions {
  /** ids from config.json / generation_config.json, used when tokenizer_config.json names no such token */
  fallbackIds?: { bos?: number | null; eos?: number | null; pad?: number | null };
}

export class HfTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly specials: SpecialTokens;
  readonly addBos: boolean;
  /** the chat template of tokenizer_config.json, when the model has one */
  readonly chatTemplate: string | null;
  private readonly impl: HfTokenizerImpl;

  constructor(
    private readonly json: JsonObject,
    private readonly config: JsonObject = {},
    opts: HfTokenizerOptions = {},
  ) {
    try {
      this.impl = new HfTokenizerImpl(json, config);
    } catch (e) {
      throw new Error(`tokenizer.json could not be loaded: ${(e as Error).message}`);
    }
    let size = 0;
    for (const id of this.impl.get_vocab(true).values()) size = Math.max(size, id + 1);
    this.vocabSize = size;
    const idOf = (key: string) => {
      const name = configTokenName(config, key);
      if (name === null) return undefined;
      const id = this.impl.token_to_id(name);
      if (id === undefined) throw new Error(`tokenizer_config.json: ${key} ${JSON.stringify(name)} is not in tokenizer.json's vocabulary`);
      return id;
    };
    const fb = opts.fallbackIds ?? {};
    const eos = idOf('eos_token') ?? fb.eos ?? undefined;
    if (eos === undefined || eos === null)
      throw new Error('the tokenizer has no end-of-sequence token: tokenizer_config.json names no eos_token and config.json no eos_token_id, so generation could never stop');
    const bosNamed = idOf('bos_token') ?? fb.bos ?? undefined;
    const bos = bosNamed ?? eos;
    const pad = idOf('pad_token') ?? fb.pad ?? eos;
    const sp: SpecialTokens = { bos, eos, pad };
    const single = (t: string) => {
      const id = this.impl.token_to_id(t);
      return id !== undefined && this.encode(t).length === 1 ? id : undefined;
    };
    const [tOpen, tClose, aOpen, aClose] = FORMAT_TOKENS;
    const ids = [single(tOpen), single(tClose), single(aOpen), single(aClose)];
    if (ids[0] !== undefined) sp.think_open = ids[0];
    if (ids[1] !== undefined) sp.think_close = ids[1];
    if (ids[2] !== undefined) sp.answer_open = ids[2];
    if (ids[3] !== undefined) sp.answer_close = ids[3];
    this.specials = sp;
    // Python's Llama tokenizers rebuild the post-processor from add_bos_token; otherwise the
    // post-processor decides. Either way: does the default encoding start with BOS?
    if (typeof config.add_bos_token === 'boolean') this.addBos = config.add_bos_token && bosNamed !== undefined;
    else {
      const withSp = this.impl.encode('a', { add_special_tokens: true }).ids;
      this.addBos = bosNamed !== undefined && withSp[0] === bos && this.encode('a')[0] !== bos;
    }
    const tpl = config.chat_template;
    this.chatTemplate = typeof tpl === 'string' ? tpl : null;
  }

  encode(text: string): number[] {
    if (text.length === 0) return [];
    return this.impl.encode(text, { add_special_tokens: false }).ids;
  }

  /** Decoding never "cleans up" spaces before punctuation: what the model wrote comes back as written. */
  decode(ids: readonly number[], opts: { skipSpecialTokens?: boolean } = {}): string {
    const known = ids.filter((id) => id >= 0 && id < this.vocabSize && this.impl.id_to_token(id) !== undefined);
    if (known.length === 0) return '';
    return this.impl.decode(known, { skip_special_tokens: opts.skipSpecialTokens ?? false, clean_up_tokenization_spaces: false });
  }

  idToToken(id: number): string | undefined {
    return this.impl.id_to_token(id);
  }

  tokenToId(token: string): number | undefined {
    return this.impl.token_to_id(token);
  }

  /** the tokenizer.json this was loaded from, unchanged */
  toJSON(): JsonObject {
    return this.json;
  }

  /** the tokenizer_config.json this was loaded with, unchanged ({} when there was none) */
  tokenizerConfig(): JsonObject {
    return this.config;
  }
}
