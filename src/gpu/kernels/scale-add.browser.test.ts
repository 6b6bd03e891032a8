/**
 * The GPU-in-worker path end to end: a Web Worker acquires a WebGPU device, runs a
 * WGSL kernel, and the result matches the CPU reference — on lengths that are not
 * multiples of the workgroup size.
 */
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import type { GpuWorkerApi } from '../../../workers/gpu-api';
import { scaleAddCpu } from './scale-add';

const worker = new Worker(new URL('../../../workers/gpu.worker.ts', import.meta.url), { type: 'module' });
const api = Comlink.wrap<GpuWorkerApi>(worker);
afterAll(() => worker.terminate());

function rand(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
}

describe('scale_add kernel in a worker', () => {
  it('acquires an adapter and passes its self-test', async () => {
    const st = await api.probe();
    if (!st.ok) throw new Error(`no WebGPU in the test browser: ${st.message}`);
    expect(st.selfTest.passed).toBe(true);
    expect(st.info.limits.maxComputeInvocationsPerWorkgroup).toBeGreaterThanOrEqual(64);
  });

  for (const n of [1, 63, 65, 1000, 64 * 1031 + 17]) {
    it(`matches the CPU reference for n=${n}`, async () => {
      const x = rand(n, 11 + n);
      const y = rand(n, 29 + n);
      const got = await api.scaleAdd(-1.375, x, y);
      const want = scaleAddCpu(-1.375, x, y);
      expect(got.length).toBe(n);
      let maxErr = 0;
      for (let i = 0; i < n; i++) maxErr = Math.max(maxErr, Math.abs(got[i]! - want[i]!));
      expect(maxErr).toBeLessThanOrEqual(1e-6);
    });
  }

  it('rejects mismatched lengths with a message naming both', async () => {
    await expect(api.scaleAdd(1, new Float32Array(3), new Float32Array(4))).rejects.toThrow(/x has 3 elements, y has 4/);
  });
});
