/**
 * The tokenizer contract: byte-level BPE trained on the corpus (bpe-train.ts), or loaded from a
 * Hugging Face tokenizer.json (hf-tokenizer.ts), with added tokens matched whole before BPE
 * (the chat markers and, for the closed-book task, one token per entity and relation).
 * `encode` never adds special tokens; the trainer places BOS/EOS itself.
 */
export interface SpecialTokens {
  bos: number;
  eos: number;
  pad: number;
  /** single tokens for the answer format, when the vocabulary has them */
  think_open?: number;
  think_close?: number;
  answer_open?: number;
  answer_close?: number;
}

export interface Tokenizer {
  readonly vocabSize: number;
  readonly specials: SpecialTokens;
  /**
   * Whether Hugging Face's default encoding (`tokenizer(text)`, add_special_tokens=true) starts
   * with BOS. The trainer places BOS itself when this is true (ours: always), so the exported model
   * sees under transformers what it saw in training. Optional for test doubles; absent = true.
   */
  readonly addBos?: boolean;
  encode(text: string): number[];
  /** ids past the tokenizer's vocabulary (an embedding padded beyond it) decode to nothing */
  decode(ids: readonly number[], opts?: { skipSpecialTokens?: boolean }): string;
  idToToken(id: number): string | undefined;
  tokenToId(token: string): number | undefined;
  /** the Hugging Face tokenizer.json object (model BPE, byte-level pre-tokenizer/decoder, added_tokens) */
  toJSON(): Record<string, unknown>;
}

/** The chat-format markers, added as single tokens to every tokenizer we train. */
export const FORMAT_TOKENS = ['<think>', '</think>', '<answer>', '</answer>'] as const;
export const BOS = '<|bos|>';
export const EOS = '<|eos|>';
export const PAD = '<|pad|>';
