/**
 * Held-out evaluation for the Train view (the runs list's final accuracy, the Table-4 ablation):
 * training/eval's greedy evaluation on the run's held-out synthetic items, and separately on the
 * imported benchmark items evaluated alongside (prompts too long for the model's context count as
 * wrong, as the CLI does; how many is reported).
 */
import type { HeldoutResult, RunDataRecord } from '../../src/storage/run-store';
import { evaluate } from '../../src/training/eval/evaluate';
import type { CausalLM } from '../../src/training/model/causal-lm';
import type { RunSettings } from '../../src/training/run/settings';
import type { Tokenizer } from '../../src/training/tokenizer/types';

export async function evaluateHeldout(
  model: CausalLM,
  tok: Tokenizer,
  data: Pick<RunDataRecord, 'heldout' | 'heldoutImported'>,
  settings: Pick<RunSettings, 'grpo' | 'generation_batch_rows'>,
  onProgress?: (done: number, total: number) => void,
): Promise<HeldoutResult> {
  const opts = { maxNewTokens: settings.grpo.max_completion_length, batchSize: Math.max(1, Math.min(settings.generation_batch_rows, 64)) };
  const total = data.heldout.length + data.heldoutImported.length;
  const syn = await evaluate(model, tok, data.heldout, { ...opts, onProgress: (p) => onProgress?.(p.done, total) });
  const out: HeldoutResult = { accuracy: syn.accuracy, formatRate: syn.formatRate, n: syn.n, perDifficulty: syn.perDifficulty };
  if (data.heldoutImported.length) {
    const imp = await evaluate(model, tok, data.heldoutImported, { ...opts, onProgress: (p) => onProgress?.(data.heldout.length + p.done, total) });
    out.imported = { accuracy: imp.accuracy, n: imp.n, tooLong: imp.tooLong };
  }
  return out;
}
