/**
 * The page's handle on the domain worker (graph, synthesis, trajectories, workspace in
 * one worker around one copy of the graph): one worker per page, one typed comlink
 * proxy per service, each on its own MessagePort.
 */
import * as Comlink from 'comlink';
import type { ConnectMessage, DomainServiceName, DomainServices } from '../../../workers/domain-api';

let worker: Worker | null = null;
const remotes = new Map<DomainServiceName, unknown>();
const crashListeners = new Set<(message: string) => void>();

/** Be told when the domain worker fails (a script error while loading, or a crash): calls to it would never answer. */
export function onDomainWorkerError(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}

function domainWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('../../../workers/domain.worker.ts', import.meta.url), { type: 'module', name: 'domain' });
    worker.addEventListener('error', (e) => {
      for (const l of crashListeners) l(e.message || 'the worker script failed');
    });
  }
  return worker;
}

export function domainService<K extends DomainServiceName>(name: K): Comlink.Remote<DomainServices[K]> {
  let remote = remotes.get(name) as Comlink.Remote<DomainServices[K]> | undefined;
  if (!remote) {
    const channel = new MessageChannel();
    const msg: ConnectMessage = { type: 'fleming:connect', service: name };
    domainWorker().postMessage(msg, [channel.port2]);
    remote = Comlink.wrap<DomainServices[K]>(channel.port1);
    remotes.set(name, remote);
  }
  return remote;
}
