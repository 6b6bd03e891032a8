/**
 * The worker half of crash detection (the page half: src/ui/clients/worker-watch.ts). A worker
 * that dies — out of memory, killed by the browser, a fatal error, self.close() — sends no event
 * the page can rely on, and comlink calls to it simply never answer. So each watched worker holds
 * a Web Lock with a unique name for its whole life and tells the page that name; the page queues
 * for the same lock, which the browser grants exactly when the worker's context is gone.
 */

/** Message the worker posts once it holds its life lock. */
export interface LifeMessage {
  type: 'fleming:life';
  lock: string;
}

export const isLifeMessage = (d: unknown): d is LifeMessage => typeof d === 'object' && d !== null && (d as LifeMessage).type === 'fleming:life' && typeof (d as LifeMessage).lock === 'string';

/**
 * Take the life lock (held until this worker ends) and tell the page its name once it is held —
 * not before: the page's own request for the name must queue behind a lock already granted (the
 * two requests travel different channels, so "requested first" is no guarantee). A worker that
 * dies in the few milliseconds before the grant goes unnoticed; one that fails to load is caught
 * by its `error` event. Without Web Locks, nothing (no watch).
 */
export function holdLifeLock(kind: string): void {
  if (!('locks' in navigator)) return;
  const lock = `fleming-life:${kind}:${crypto.randomUUID()}`;
  void navigator.locks.request(lock, () => {
    const msg: LifeMessage = { type: 'fleming:life', lock };
    self.postMessage(msg);
    return new Promise<never>(() => {});
  });
}
