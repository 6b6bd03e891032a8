/**
 * Crash detection for the app's workers (worker-watch.ts + workers/worker-life.ts) on a real
 * worker: its death — self.close() from inside, or terminate() from outside — resolves the watch,
 * a call in flight rejects with WorkerCrashedError instead of hanging, and so does a later call.
 */
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import type { FixtureApi } from './worker-watch-fixture.worker';
import { crashAware, watchWorker, WorkerCrashedError } from './worker-watch';

/** a fixture worker, once it holds its life lock and the page watches it */
const start = async () => {
  const w = new Worker(new URL('./worker-watch-fixture.worker.ts', import.meta.url), { type: 'module' });
  let watched!: () => void;
  const on = new Promise<void>((r) => (watched = r));
  const died = watchWorker(w, 'The fixture worker', watched);
  await on;
  return { w, died, api: crashAware(Comlink.wrap<FixtureApi>(w), died) };
};

describe('worker watch', () => {
  it('a worker that closes itself: the watch resolves, the call in flight and later calls reject', async () => {
    const { died, api } = await start();
    expect(await api.ping()).toBe('pong');
    const inFlight = api.hang();
    void api.die();
    await expect(died).resolves.toMatch(/^The fixture worker stopped unexpectedly/);
    await expect(inFlight).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(api.ping()).rejects.toThrow(/The fixture worker stopped unexpectedly/);
  });

  it('a worker terminated from outside counts as dead too; a live one does not', async () => {
    const a = await start();
    const b = await start();
    expect(await a.api.ping()).toBe('pong');
    expect(await b.api.ping()).toBe('pong');
    a.w.terminate();
    await expect(a.died).resolves.toMatch(/stopped unexpectedly/);
    const still = await Promise.race([b.died.then(() => 'dead'), new Promise((r) => setTimeout(() => r('alive'), 300))]);
    expect(still).toBe('alive');
    expect(await b.api.ping()).toBe('pong');
    b.w.terminate();
  });
});
