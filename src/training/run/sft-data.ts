/**
 * SFT examples as token rows and their order. A row is BOS + prompt + completion + EOS; the loss
 * reads only the completion and the EOS (the model must learn to stop). Batches are
 * length-bucketed: each epoch shuffles the examples (seeded by seed and epoch), sorts them by
 * length within chunks of `chunkBatches` batches so a batch holds rows of similar length (little
 * padding), then shuffles the order of the batches so lengths do not drift through the epoch.
 */
import type { Difficulty } from '../../synthesis/record';
import type { TokenBatch } from '../model/causal-lm';
import type { Tokenizer } from '../tokenizer/types';
import { rngFor } from './seeds';

export interface SftExample {
  id: string;
  difficulty: Difficulty;
  /** the prompt as the model sees it: BOS + text (plain style) or the rendered chat template */
  promptIds: number[];
  /** the target text: `<think>…</think><answer>…</answer>` */
  completion: string;
}

export interface EncodedExample {
  id: string;
  difficulty: Difficulty;
  /** BOS + prompt + completion + EOS, cut to max_length */
  ids: number[];
  /** BOS + prompt tokens: targets start predicting at position promptLength − 1 */
  promptLength: number;
  /** the completion (with EOS) was cut by max_length */
  truncated: boolean;
}

/**
 * Encode one example, truncating prompt+completion to maxLength (TRL's keep_start truncation).
 * Returns null when not even one completion token fits: the example would teach nothing.
 */
export function encodeSftExample(tok: Tokenizer, ex: SftExample, maxLength: number): EncodedExample | null {
  const prompt = ex.promptIds;
  const full = [...prompt, ...tok.encode(ex.completion), tok.specials.eos];
  if (prompt.length >= maxLength) return null;
  const ids = full.slice(0, maxLength);
  return { id: ex.id, difficulty: ex.difficulty, ids, promptLength: prompt.length, truncated: ids.length < full.length };
}

/** rows → one right-padded batch: ids = row[:-1], targets = row[1:] on the completion, −1 elsewhere */
export function sftBatch(rows: readonly EncodedExample[], padId: number): TokenBatch {
  const B = rows.length;
  const T = Math.max(1, ...rows.map((r) => r.ids.length - 1));
  const ids = new Int32Array(B * T).fill(padId);
  const targets = new Int32Array(B * T).fill(-1);
  rows.forEach((r, b) => {
    for (let t = 0; t < r.ids.length - 1; t++) {
      ids[b * T + t] = r.ids[t]!;
      if (t + 1 >= r.promptLength) targets[b * T + t] = r.ids[t + 1]!;
    }
  });
  return { B, T, ids, targets };
}

/** One epoch's micro-batches as lists of example indices (see the module comment). */
export function bucketedEpoch(lengths: readonly number[], batchSize: number, seed: number, epoch: number, chunkBatches = 32): number[][] {
  const rng = rngFor(seed, 'sft-epoch', epoch);
  const order = rng.shufflePrefix(lengths.map((_, i) => i));
  const batches: number[][] = [];
  const chunk = batchSize * chunkBatches;
  for (let c = 0; c < order.length; c += chunk) {
    const part = order.slice(c, c + chunk).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
    for (let i = 0; i < part.length; i += batchSize) batches.push(part.slice(i, i + batchSize));
  }
  return rng.shufflePrefix(batches);
}
