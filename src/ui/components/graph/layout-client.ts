/** The layout worker, started on first use. */
import * as Comlink from 'comlink';
import type { GraphLayoutApi } from '../../../../workers/graph-layout-api';

let proxy: Comlink.Remote<GraphLayoutApi> | null = null;

export function layoutWorker(): Comlink.Remote<GraphLayoutApi> {
  if (!proxy) {
    const worker = new Worker(new URL('../../../../workers/graph-layout.worker.ts', import.meta.url), { type: 'module', name: 'graph-layout' });
    proxy = Comlink.wrap<GraphLayoutApi>(worker);
  }
  return proxy;
}
