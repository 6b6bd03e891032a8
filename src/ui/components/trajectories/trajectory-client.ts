/** The UI's handle on the trajectory service (in the domain worker, beside the one copy of the active graph). */
import * as Comlink from 'comlink';
import type { TrajectoryWorkerApi } from '../../../../workers/trajectory-api';
import { domainService } from '../../clients/domain-client';

export function trajectoryWorker(): Comlink.Remote<TrajectoryWorkerApi> {
  return domainService('trajectories');
}

export { Comlink };
