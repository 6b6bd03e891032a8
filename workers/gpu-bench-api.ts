/** The typed contract of the kernel-benchmark worker (comlink RPC). */
import type { CaseResult, KernelBenchResult } from '../bench/kernels-suite';
import type { GpuInfo } from '../src/gpu/device';

export interface BenchProgress {
  done: number;
  total: number;
  last: CaseResult | null;
  /** the case now running, null when finished */
  next: string | null;
  /** the adapter and tfjs backend, sent once the device is acquired */
  adapter?: GpuInfo;
  tfjsBackend?: string;
}

export interface GpuBenchWorkerApi {
  /** run the kernel benchmark (ours vs tfjs-backend-webgpu) on this device; quick = small shapes only */
  run(opts: { quick: boolean; tiny?: boolean; budgetMs?: number }, onProgress: (p: BenchProgress) => void): Promise<KernelBenchResult>;
  /** stop after the GPU call in flight; run() then resolves with cancelled = true and the cases done so far */
  cancel(): void;
}
