/** The UI's handle on the synthesis worker: one typed comlink proxy per page. */
import * as Comlink from 'comlink';
import type { SynthesisWorkerApi } from '../../../../workers/synthesis-api';

let proxy: Comlink.Remote<SynthesisWorkerApi> | null = null;

export function synthesisWorker(): Comlink.Remote<SynthesisWorkerApi> {
  if (!proxy) {
    const worker = new Worker(new URL('../../../../workers/synthesis.worker.ts', import.meta.url), { type: 'module', name: 'synthesis' });
    proxy = Comlink.wrap<SynthesisWorkerApi>(worker);
  }
  return proxy;
}

export { Comlink };

/** Automation handle for `npm run bench:synthesis` (and devtools): in-worker synthesis throughput. */
declare global {
  interface Window {
    __flemingSynthesis?: { bench(n: number, seed: number): Promise<{ n: number; questionsPerSecond: number; ms: number }> };
  }
}
if (typeof window !== 'undefined') window.__flemingSynthesis = { bench: (n, seed) => synthesisWorker().bench(n, seed) };
