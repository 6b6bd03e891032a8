/**
 * The Bench view's engine: the benchmark worker runs ours and tfjs-backend-webgpu side by
 * side, reports progress per case, agrees with tfjs on the numbers, and stops on cancel.
 * Toy shapes: this checks the harness, the figures come from `npm run bench:kernels`.
 */
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchProgress, GpuBenchWorkerApi } from '../../workers/gpu-bench-api';

const worker = new Worker(new URL('../../workers/gpu-bench.worker.ts', import.meta.url), { type: 'module' });
const api = Comlink.wrap<GpuBenchWorkerApi>(worker);
afterAll(() => worker.terminate());

describe('kernel benchmark worker', () => {
  it('times each case against tfjs, with progress, and both compute the same result', async () => {
    const seen: BenchProgress[] = [];
    const r = await api.run({ quick: true, tiny: true, budgetMs: 50 }, Comlink.proxy((p: BenchProgress) => void seen.push(p)));
    expect(r.cancelled).toBe(false);
    expect(r.tfjsBackend).toBe('webgpu');
    expect(r.cases.map((c) => c.name)).toEqual(['matmul 48²', 'attention fwd+bwd t=24']);
    for (const c of r.cases) {
      expect(c.oursMs).toBeGreaterThan(0);
      expect(c.tfjsMs).toBeGreaterThan(0);
      expect(c.ratio).toBeCloseTo(c.tfjsMs / c.oursMs, 1);
      expect(c.maxRelDiff).toBeLessThanOrEqual(1e-4);
    }
    expect(seen.at(-1)).toMatchObject({ done: 2, total: 2, next: null });
    expect(seen.some((p) => p.next === 'attention fwd+bwd t=24')).toBe(true);
  });

  it('cancel stops the run and returns what was finished', async () => {
    let cancelled = false;
    const r = await api.run(
      { quick: true, tiny: true, budgetMs: 50 },
      Comlink.proxy((p: BenchProgress) => {
        if (p.done === 1 && !cancelled) {
          cancelled = true;
          void api.cancel();
        }
      }),
    );
    expect(r.cancelled).toBe(true);
    expect(r.cases.length).toBeLessThan(2);
  });
});
