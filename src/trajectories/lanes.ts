/**
 * Runs `work` over items in `concurrency` parallel lanes, keeping input order. A lane stops
 * when the signal aborts (the items in flight are dropped) or when the call health says the
 * endpoint is hopeless (then every lane stops). Shared by the teacher pipeline and the LLM
 * verifier, which both call a possibly dead remote endpoint once per item.
 */
import type { CallHealth } from './call-health';

export interface LaneOptions<R> {
  concurrency: number;
  health: CallHealth;
  /** the caller's cancel signal, if any */
  signal?: AbortSignal;
  onItem?: (r: R, done: number, total: number) => void | Promise<void>;
}

/** results[i] is undefined for an item that never finished */
export async function runInLanes<T, R>(items: T[], work: (item: T, signal: AbortSignal) => Promise<R>, o: LaneOptions<R>): Promise<(R | undefined)[]> {
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  const results: (R | undefined)[] = new Array(items.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < items.length && !signal.aborted) {
      const i = next++;
      let r: R;
      try {
        r = await work(items[i]!, signal);
      } catch (e) {
        if (signal.aborted) return;
        throw e;
      }
      if (o.health.hopeless) {
        stop.abort();
        return;
      }
      results[i] = r;
      await o.onItem?.(r, ++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, items.length)) }, lane));
  return results;
}
