/// <reference lib="webworker" />
/** GPU worker entry: owns the GPUDevice; the UI never touches the GPU directly. */
import * as Comlink from 'comlink';
import { acquireGpu, WebGpuUnavailableError, type GpuContext } from '../src/gpu/device';
import { scaleAddCpu, scaleAddGpu } from '../src/gpu/kernels/scale-add';
import type { GpuStatus, GpuWorkerApi } from './gpu-api';

let ctx: Promise<GpuContext> | null = null;

function gpu(): Promise<GpuContext> {
  if (!ctx) {
    ctx = acquireGpu(self.navigator.gpu);
    ctx.then((c) => c.lost.then(() => (ctx = null))).catch(() => (ctx = null));
  }
  return ctx;
}

const api: GpuWorkerApi = {
  async probe(): Promise<GpuStatus> {
    let c: GpuContext;
    try {
      c = await gpu();
    } catch (e) {
      const reason = e instanceof WebGpuUnavailableError ? e.reason : 'device-failed';
      return { ok: false, reason, message: (e as Error).message };
    }
    // An awkward length (not a multiple of the workgroup size) exercises the bounds check.
    const n = 1000;
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
    const y = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.5));
    try {
      const got = await scaleAddGpu(c.device, 0.75, x, y);
      const want = scaleAddCpu(0.75, x, y);
      let maxAbsError = 0;
      for (let i = 0; i < n; i++) maxAbsError = Math.max(maxAbsError, Math.abs(got[i]! - want[i]!));
      return { ok: true, info: c.info, selfTest: { kernel: 'scale_add', n, maxAbsError, passed: maxAbsError <= 1e-6 } };
    } catch (e) {
      return { ok: false, reason: 'self-test-failed', message: (e as Error).message };
    }
  },

  async scaleAdd(alpha, x, y) {
    const c = await gpu();
    const out = await scaleAddGpu(c.device, alpha, x, y);
    return Comlink.transfer(out, [out.buffer]);
  },
};

Comlink.expose(api);
