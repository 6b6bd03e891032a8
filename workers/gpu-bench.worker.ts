/// <reference lib="webworker" />
/**
 * Kernel-benchmark worker: runs the same suite as `npm run bench:kernels` on the user's
 * GPU, off the UI thread, with a device of its own (the training worker's stays untouched).
 */
import * as Comlink from 'comlink';
import { runKernelBench } from '../bench/kernels-suite';
import { viteShaderSource } from '../src/gpu/shaders-vite';
import type { GpuBenchWorkerApi } from './gpu-bench-api';

let abort: AbortController | null = null;

const api: GpuBenchWorkerApi = {
  async run(opts, onProgress) {
    abort?.abort();
    const ctl = new AbortController();
    abort = ctl;
    try {
      return await runKernelBench(viteShaderSource, {
        quick: opts.quick,
        tiny: opts.tiny ?? false,
        ...(opts.budgetMs !== undefined ? { budgetMs: opts.budgetMs } : {}),
        signal: ctl.signal,
        onProgress: (done, total, last, next) => onProgress({ done, total, last, next }),
        onStart: (adapter, tfjsBackend) => onProgress({ done: 0, total: 0, last: null, next: null, adapter, tfjsBackend }),
      });
    } finally {
      if (abort === ctl) abort = null;
    }
  },
  cancel() {
    abort?.abort();
  },
};

Comlink.expose(api);
