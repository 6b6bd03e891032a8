/** Page entry for `npm run bench:kernels`: exposes the suite to Playwright and logs progress. */
import { viteShaderSource } from '../src/gpu/shaders-vite';
import { runKernelBench, type BenchOptions, type KernelBenchResult } from './kernels-suite';

declare global {
  interface Window {
    __kernelBench?: (opts: Pick<BenchOptions, 'quick' | 'only' | 'budgetMs'>) => Promise<KernelBenchResult>;
  }
}

const log = document.getElementById('log')!;
window.__kernelBench = (opts) =>
  runKernelBench(viteShaderSource, {
    ...opts,
    onProgress: (done, total, last, next) => {
      const line = `${done}/${total}${last ? ` ${last.name}: ours ${last.oursMs} ms, tfjs ${last.tfjsMs} ms, ratio ${last.ratio}` : ''}${next ? ` → ${next}` : ''}`;
      log.textContent += `\n${line}`;
      console.log(line);
    },
  });
log.textContent = 'ready';
