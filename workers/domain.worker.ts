/// <reference lib="webworker" />
/**
 * The domain worker: graph, synthesis, trajectories and workspace services in one
 * worker around one copy of the active graph (see domain-api.ts for why). The page
 * connects each service on its own MessagePort.
 */
import * as Comlink from 'comlink';
import type { ConnectMessage, DomainServices } from './domain-api';
import { graphApi } from './graph-service';
import { synthesisApi } from './synthesis-service';
import { trajectoryApi } from './trajectory-service';
import { holdLifeLock } from './worker-life';
import { workspaceApi } from './workspace-service';

const services: DomainServices = { graph: graphApi, synthesis: synthesisApi, trajectories: trajectoryApi, workspace: workspaceApi };

self.addEventListener('message', (ev: MessageEvent<ConnectMessage>) => {
  const port = ev.ports[0];
  if (ev.data?.type !== 'fleming:connect' || !port || !(ev.data.service in services)) return;
  Comlink.expose(services[ev.data.service], port);
});

// the page watches this worker's life through a lock and restarts it if it dies (worker-life.ts)
holdLifeLock('domain');
