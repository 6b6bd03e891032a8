/** The UI's handle on the trajectory worker: one typed comlink proxy per page. */
import * as Comlink from 'comlink';
import type { TrajectoryWorkerApi } from '../../../../workers/trajectory-api';

let proxy: Comlink.Remote<TrajectoryWorkerApi> | null = null;

export function trajectoryWorker(): Comlink.Remote<TrajectoryWorkerApi> {
  if (!proxy) {
    const worker = new Worker(new URL('../../../../workers/trajectory.worker.ts', import.meta.url), { type: 'module', name: 'trajectories' });
    proxy = Comlink.wrap<TrajectoryWorkerApi>(worker);
  }
  return proxy;
}

export { Comlink };
