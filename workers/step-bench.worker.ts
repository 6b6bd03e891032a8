/// <reference lib="webworker" />
/**
 * Training-step benchmark worker: the same suite as `npm run bench:step` (bench/step-suite.ts) on the
 * user's GPU, off the UI thread, with a device of its own.
 */
import * as Comlink from 'comlink';
import { DEFAULT_ROLLOUT, DEFAULT_STEP_CASES, runStepBench } from '../bench/step-suite';
import { viteShaderSource } from '../src/gpu/shaders-vite';
import type { StepBenchWorkerApi } from './step-bench-api';

let abort: AbortController | null = null;

const api: StepBenchWorkerApi = {
  async run(opts, onProgress) {
    abort?.abort();
    const ctl = new AbortController();
    abort = ctl;
    try {
      return await runStepBench(viteShaderSource, {
        // quick: the micro model at one small shape (a software GPU finishes it in about a minute)
        cases: opts.quick ? [{ preset: 'micro', batch: 8, seq: 32 }] : DEFAULT_STEP_CASES,
        rollout: opts.quick ? [{ preset: 'micro', rows: 8, newTokens: 16 }] : DEFAULT_ROLLOUT,
        ...(opts.budgetMs !== undefined ? { budgetMs: opts.budgetMs } : opts.quick ? { budgetMs: 1500 } : {}),
        signal: ctl.signal,
        onProgress: (done, total, line) => onProgress({ done, total, line }),
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
