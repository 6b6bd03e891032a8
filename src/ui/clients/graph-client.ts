/** The UI's handle on the graph worker: typed comlink proxy, one worker per page. */
import * as Comlink from 'comlink';
import type { GraphWorkerApi } from '../../../workers/graph-api';

let proxy: Comlink.Remote<GraphWorkerApi> | null = null;

export function graphWorker(): Comlink.Remote<GraphWorkerApi> {
  if (!proxy) {
    const worker = new Worker(new URL('../../../workers/graph.worker.ts', import.meta.url), { type: 'module', name: 'graph' });
    proxy = Comlink.wrap<GraphWorkerApi>(worker);
  }
  return proxy;
}

export { Comlink };
