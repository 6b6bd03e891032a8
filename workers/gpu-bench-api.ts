/** The typed contract of the kernel-benchmark worker (comlink RPC). */
import type { CaseResult, KernelBenchResult } from '../bench/kernels-suite';

export interface BenchProgress {
  done: number;
  total: number;
  last: CaseResult | null;
  /** the case now running, null when finished */
  next: string | null;
}

export interface GpuBenchWorkerApi {
  /** run the kernel benchmark (ours vs tfjs-backend-webgpu) on this device; quick = small shapes only */
  run(opts: { quick: boolean; tiny?: boolean; budgetMs?: number }, onProgress: (p: BenchProgress) => void): Promise<KernelBenchResult>;
  /** stop after the case now running; run() then resolves with cancelled = true and the cases done so far */
  cancel(): void;
}
