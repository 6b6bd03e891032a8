/**
 * Rollouts as training rows: prompt + completion ids, right-padded, with targets on the completion
 * tokens only (−1 on the prompt, the padding, and every token of a truncated completion when
 * mask_truncated_completions is on). Rows are cut into micro-batches, each padded only to its own
 * longest row, so a short micro-batch costs less.
 */
import type { TokenBatch } from '../model/causal-lm';

export interface RolloutRow {
  /** BOS + prompt tokens */
  prompt: readonly number[];
  /** sampled tokens, the stop token included when reached */
  completion: readonly number[];
  /** excluded from the loss (a truncated completion under mask_truncated_completions) */
  masked: boolean;
}

/**
 * The rows as one batch: ids = sequence without its last token, targets[t] = sequence[t+1] where
 * that token belongs to the completion. T = longest sequence − 1.
 */
export function rolloutBatch(rows: readonly RolloutRow[], padId: number): TokenBatch {
  const B = rows.length;
  const T = Math.max(1, ...rows.map((r) => r.prompt.length + r.completion.length - 1));
  const ids = new Int32Array(B * T).fill(padId);
  const targets = new Int32Array(B * T).fill(-1);
  rows.forEach((r, b) => {
    if (r.prompt.length < 1) throw new Error(`rollout row ${b}: the prompt must hold at least the BOS token`);
    const seq = [...r.prompt, ...r.completion];
    for (let t = 0; t < seq.length - 1; t++) {
      ids[b * T + t] = seq[t]!;
      if (!r.masked && t + 1 >= r.prompt.length) targets[b * T + t] = seq[t + 1]!;
    }
  });
  return { B, T, ids, targets };
}

/** position in a batch row of completion token j of that row (its target slot) */
export const completionSlot = (promptLength: number, j: number) => promptLength - 1 + j;

/** consecutive rows in groups of at most `rows` */
export function microBatchRanges(n: number, rows: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i += rows) out.push([i, Math.min(n, i + rows)]);
  return out;
}
