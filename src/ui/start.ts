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
  onDomainWorkerError(restartAfterCrash);
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

const crashTimes: number[] = [];

/**
 * The domain worker died: say so, and bring the graph that was open back in a fresh worker (the
 * next call starts it). Everything the services saved is in IndexedDB; the job that was running
 * (a generation, a trajectory run, an import) reported its own error and can be started again.
 * A worker that keeps dying (three times in two minutes) is left down, with the advice to reload.
 */
function restartAfterCrash(message: string): void {
  const { graph, setGraph, setWorkerNotice } = useApp.getState();
  const now = Date.now();
  crashTimes.push(now);
  while (crashTimes.length && now - crashTimes[0]! > 120_000) crashTimes.shift();
  if (crashTimes.length >= 3) {
    setWorkerNotice(`${message}. It stopped ${crashTimes.length} times in two minutes, so it was not restarted again: reload the page. Everything saved so far is kept.`);
    setGraph({ phase: 'error', message: `${message}; reload the page (everything saved is kept)` });
    return;
  }
  setWorkerNotice(`${message}. It was restarted and the graph reloaded; everything saved so far (questions, trajectories, graphs, runs) is kept. A job that was running in it — generating questions, writing trajectories, an import — stopped: start it again.`);
  const id = graph.phase === 'ready' ? graph.result.id : undefined;
  if (id && id !== 'default') {
    setGraph({ phase: 'loading' });
    graphWorker()
      .openGraph(id)
      .then((result) => setGraph({ phase: 'ready', result }))
      .catch((e: Error) => setGraph({ phase: 'error', message: e.message }));
  } else void loadGraph();
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
