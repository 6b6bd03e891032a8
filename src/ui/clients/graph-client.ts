/** The UI's handle on the graph service (in the domain worker, which holds the one copy of the graph). */
import * as Comlink from 'comlink';
import type { GraphWorkerApi } from '../../../workers/graph-api';
import { domainService } from './domain-client';

export function graphWorker(): Comlink.Remote<GraphWorkerApi> {
  return domainService('graph');
}

export { Comlink };
