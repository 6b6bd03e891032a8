/**
 * The page half of crash detection (the worker half: workers/worker-life.ts). A watched worker
 * holds a uniquely named Web Lock for its whole life and posts the name; queueing for that lock
 * here resolves exactly when the worker's context is gone (out of memory, killed, self.close()).
 * A script that never loaded (an `error` event before the lock message) counts as dead too.
 *
 * `crashAware` wraps a comlink remote so that calls in flight when the worker dies — which would
 * otherwise never answer — reject with a WorkerCrashedError, and so do calls made afterwards.
 */
import type * as Comlink from 'comlink';
import { isLifeMessage } from '../../../workers/worker-life';

export class WorkerCrashedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerCrashedError';
  }
}

/** Resolves with a sentence (`what` + the cause) once the worker is gone; `onWatched` runs once the watch is on. */
export function watchWorker(worker: Worker, what: string, onWatched?: () => void): Promise<string> {
  return new Promise((resolve) => {
    let alive = false;
    let done = false;
    const finish = (m: string) => {
      if (done) return;
      done = true;
      resolve(m);
    };
    worker.addEventListener('message', (e: MessageEvent) => {
      if (!isLifeMessage(e.data)) return;
      alive = true;
      void navigator.locks.request(e.data.lock, () => finish(`${what} stopped unexpectedly (the browser ended it: out of memory, a crash, or it was closed)`));
      onWatched?.();
    });
    worker.addEventListener('error', (e: ErrorEvent) => {
      // before the life message: the script failed to load or evaluate, so the worker is gone;
      // after it, an uncaught error inside a live worker, which the lock watch judges
      if (!alive) finish(`${what} failed to start (${e.message || 'the worker script failed'})`);
    });
  });
}

/** Calls through the returned remote reject with WorkerCrashedError once `died` resolves. */
export function crashAware<T>(remote: Comlink.Remote<T>, died: Promise<string>): Comlink.Remote<T> {
  const failed = died.then((m) => Promise.reject(new WorkerCrashedError(`${m}.`)));
  failed.catch(() => {});
  return new Proxy(remote as object, {
    get(target, prop) {
      const v = Reflect.get(target, prop) as unknown;
      // comlink's own symbols (releaseProxy …) and thenable checks pass through unchanged
      if (typeof prop === 'symbol' || prop === 'then') return v;
      return (...args: unknown[]) => Promise.race([(v as (...a: unknown[]) => Promise<unknown>)(...args), failed]);
    },
  }) as Comlink.Remote<T>;
}
