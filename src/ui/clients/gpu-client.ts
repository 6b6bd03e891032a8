/** The UI's handle on the GPU worker. */
import * as Comlink from 'comlink';
import type { GpuWorkerApi } from '../../../workers/gpu-api';

let proxy: Comlink.Remote<GpuWorkerApi> | null = null;

export function gpuWorker(): Comlink.Remote<GpuWorkerApi> {
  if (!proxy) {
    const worker = new Worker(new URL('../../../workers/gpu.worker.ts', import.meta.url), { type: 'module', name: 'gpu' });
    proxy = Comlink.wrap<GpuWorkerApi>(worker);
  }
  return proxy;
}
