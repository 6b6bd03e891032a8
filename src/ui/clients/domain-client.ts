/**
 * The page's handle on the domain worker (graph, synthesis, trajectories, workspace in
 * one worker around one copy of the graph): one worker per page, one typed comlink
 * proxy per service, each on its own MessagePort.
 *
 * When the worker dies (worker-watch.ts), calls in flight reject, listeners are told, and
 * the next call starts a fresh worker: everything the services save goes to IndexedDB as
 * it goes, so a restart loses only the job that was running.
 */
import * as Comlink from 'comlink';
import type { ConnectMessage, DomainServiceName, DomainServices } from '../../../workers/domain-api';
import { crashAware, watchWorker } from './worker-watch';

let current: { worker: Worker; died: Promise<string> } | null = null;
const remotes = new Map<DomainServiceName, unknown>();
const crashListeners = new Set<(message: string) => void>();

/** Be told when the domain worker died (a crash, or a script error while loading): the next call starts a new one. */
export function onDomainWorkerError(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}

function domainWorker(): { worker: Worker; died: Promise<string> } {
  if (!current) {
    const worker = new Worker(new URL('../../../workers/domain.worker.ts', import.meta.url), { type: 'module', name: 'domain' });
    const died = watchWorker(worker, 'The background worker (graph, questions, trajectories)');
    const mine = { worker, died };
    current = mine;
    void died.then((message) => {
      if (current !== mine) return;
      current = null;
      remotes.clear();
      worker.terminate();
      for (const l of crashListeners) l(message);
    });
  }
  return current;
}

export function domainService<K extends DomainServiceName>(name: K): Comlink.Remote<DomainServices[K]> {
  let remote = remotes.get(name) as Comlink.Remote<DomainServices[K]> | undefined;
  if (!remote) {
    const { worker, died } = domainWorker();
    const channel = new MessageChannel();
    const msg: ConnectMessage = { type: 'fleming:connect', service: name };
    worker.postMessage(msg, [channel.port2]);
    remote = crashAware(Comlink.wrap<DomainServices[K]>(channel.port1), died);
    remotes.set(name, remote);
  }
  return remote;
}
