/**
 * The tokenizer of a from-scratch run: byte-level BPE trained on what the model will read and
 * write (every question's prompt and every SFT completion), with the task vocabulary's added tokens
 * (e.g. one token per entity and relation for the closed-book task) matched whole.
 */
import type { QuestionRecord } from '../../synthesis/record';
import { trainBpe } from '../tokenizer/bpe-train';
import { FORMAT_TOKENS } from '../tokenizer/types';
import type { Tokenizer } from '../tokenizer/types';
import type { SftPair } from './data-files';
import type { RunTask } from './items';

/** room for 256 merges beyond the bytes, the specials and the added tokens; at least 1,024 */
export function defaultVocabSize(addedTokens: number): number {
  return Math.max(1024, 3 + FORMAT_TOKENS.length + addedTokens + 256 + 256);
}

export function trainTaskTokenizer(
  questions: readonly QuestionRecord[],
  pairs: readonly SftPair[],
  task: Pick<RunTask, 'promptText'>,
  opts: { vocabSize?: number | undefined; addedTokens?: readonly string[] } = {},
): Tokenizer {
  const added = opts.addedTokens ?? [];
  const corpus = [...questions.map((q) => task.promptText(q)), ...pairs.map((p) => p.completion)];
  const vocabSize = opts.vocabSize ?? defaultVocabSize(added.length);
  const min = 3 + FORMAT_TOKENS.length + added.length + 256;
  if (vocabSize < min) throw new Error(`vocab_size ${vocabSize} is too small: the specials, format markers, ${added.length} added tokens and 256 byte symbols need ${min}`);
  return trainBpe(corpus, { vocabSize, addedTokens: added });
}
