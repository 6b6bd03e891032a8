/** The UI's handle on the synthesis service (in the domain worker, beside the one copy of the active graph). */
import * as Comlink from 'comlink';
import type { SynthesisWorkerApi } from '../../../../workers/synthesis-api';
import { domainService } from '../../clients/domain-client';

export function synthesisWorker(): Comlink.Remote<SynthesisWorkerApi> {
  return domainService('synthesis');
}

export { Comlink };

/** Automation handle for `npm run bench:synthesis` (and devtools): in-worker synthesis throughput. */
declare global {
  interface Window {
    __flemingSynthesis?: { bench(n: number, seed: number): Promise<{ n: number; questionsPerSecond: number; ms: number }> };
  }
}
if (typeof window !== 'undefined') window.__flemingSynthesis = { bench: (n, seed) => synthesisWorker().bench(n, seed) };
