/** The typed contract of the training-step benchmark worker (comlink RPC). */
import type { StepBenchResult } from '../bench/step-suite';

export interface StepBenchProgress {
  done: number;
  total: number;
  /** what just finished, in words */
  line: string;
}

export interface StepBenchWorkerApi {
  /** one full training step (fwd + bwd + AdamW) of our GPU model vs the same model in tfjs ops, on this device; quick = micro only, small shapes */
  run(opts: { quick: boolean; budgetMs?: number }, onProgress: (p: StepBenchProgress) => void): Promise<StepBenchResult>;
  /** stop after the case now running; run() resolves with cancelled = true and the cases done so far */
  cancel(): void;
}
