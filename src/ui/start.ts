/**
 * Work that starts with the page: the GPU probe and the default graph load, both in
 * workers, with their outcome written to the store. Also keeps the route in sync with
 * the URL hash.
 */
import { gpuWorker } from './clients/gpu-client';
import { onDomainWorkerError } from './clients/domain-client';
import { Comlink, graphWorker } from './clients/graph-client';
import { parseHash } from './routes';
import { useApp } from './store';
import type { LoadProgress } from '../../workers/graph-api';

export function startBackgroundWork(): void {
  window.addEventListener('hashchange', () => useApp.getState().setRoute(parseHash(location.hash)));
  onDomainWorkerError((m) =>
    useApp.getState().setGraph({ phase: 'error', message: `the app's background worker stopped (${m}). Reload the page; everything saved is kept` }),
  );
  void probeGpu();
  void loadGraph();
}

async function probeGpu(): Promise<void> {
  const { setGpu } = useApp.getState();
  if (!('gpu' in navigator) || !navigator.gpu) {
    setGpu({ phase: 'done', status: { ok: false, reason: 'no-webgpu', message: 'This browser does not expose WebGPU (navigator.gpu is missing).' } });
    return;
  }
  try {
    // Asking for an adapter here too is cheap and lets the banner tell "no adapter" apart
    // from "no WebGPU" before a worker is started.
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) {
      setGpu({ phase: 'done', status: { ok: false, reason: 'no-adapter', message: 'No GPU adapter is available (blocklisted driver, or GPU access disabled in the browser settings).' } });
      return;
    }
    setGpu({ phase: 'done', status: await gpuWorker().probe() });
  } catch (e) {
    setGpu({ phase: 'done', status: { ok: false, reason: 'device-failed', message: (e as Error).message } });
  }
}

export async function loadGraph(): Promise<void> {
  const { setGraph } = useApp.getState();
  setGraph({ phase: 'loading' });
  try {
    const result = await graphWorker().loadDefault(Comlink.proxy((progress: LoadProgress) => setGraph({ phase: 'loading', progress })));
    setGraph({ phase: 'ready', result });
  } catch (e) {
    setGraph({ phase: 'error', message: (e as Error).message });
  }
}

/**
 * A small console/automation handle (used by `npm run bench` and handy in devtools):
 * the graph load result and in-worker search latency.
 */
declare global {
  interface Window {
    __fleming?: {
      graphState(): ReturnType<typeof useApp.getState>['graph'];
      benchSearch(queries: string[]): Promise<{ p50: number; p95: number; max: number; mean: number }>;
      search(query: string): Promise<unknown[]>;
    };
  }
}
window.__fleming = {
  graphState: () => useApp.getState().graph,
  benchSearch: (queries) => graphWorker().benchSearch(queries),
  search: (query) => graphWorker().search(query, 20),
};
