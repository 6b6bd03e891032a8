/** Page entry for `npm run bench:step`: exposes the step suite to Playwright and logs progress. */
import { viteShaderSource } from '../src/gpu/shaders-vite';
import { runStepBench, type StepBenchOptions, type StepBenchResult } from './step-suite';

declare global {
  interface Window {
    __stepBench?: (opts: Omit<StepBenchOptions, 'onProgress' | 'signal'>) => Promise<StepBenchResult>;
  }
}

const log = document.getElementById('log')!;
window.__stepBench = (opts) =>
  runStepBench(viteShaderSource, {
    ...opts,
    onProgress: (done, total, line) => {
      log.textContent += `\n${done}/${total} ${line}`;
      console.log(`${done}/${total} ${line}`);
    },
  });
log.textContent = 'ready';
