/// <reference lib="webworker" />
/** GPU worker entry: owns the GPUDevice; the UI never touches the GPU directly. */
import * as Comlink from 'comlink';
import { acquireGpu, WebGpuUnavailableError, type GpuContext } from '../src/gpu/device';
import { runOpGpu } from '../src/gpu/harness/ops';
import { scaleAddCpu, scaleAddGpu } from '../src/gpu/kernels/scale-add';
import { GpuRuntime } from '../src/gpu/runtime';
import { viteShaderSource } from '../src/gpu/shaders-vite';
import type { GpuStatus, GpuWorkerApi } from './gpu-api';

let ctx: Promise<{ gpu: GpuContext; rt: GpuRuntime }> | null = null;

/** The device and its runtime; a lost device is dropped so the next call acquires a fresh one. */
function gpu(): Promise<{ gpu: GpuContext; rt: GpuRuntime }> {
  if (!ctx) {
    ctx = acquireGpu(self.navigator.gpu).then((g) => ({ gpu: g, rt: new GpuRuntime(g.device, viteShaderSource) }));
    ctx.then((c) => c.rt.lost.then(() => (ctx = null))).catch(() => (ctx = null));
  }
  return ctx;
}

const api: GpuWorkerApi = {
  async probe(): Promise<GpuStatus> {
    let c: { gpu: GpuContext; rt: GpuRuntime };
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
      const got = await scaleAddGpu(c.rt, 0.75, x, y);
      const want = scaleAddCpu(0.75, x, y);
      let maxAbsError = 0;
      for (let i = 0; i < n; i++) maxAbsError = Math.max(maxAbsError, Math.abs(got[i]! - want[i]!));
      return { ok: true, info: c.gpu.info, selfTest: { kernel: 'scale_add', n, maxAbsError, passed: maxAbsError <= 1e-6 } };
    } catch (e) {
      return { ok: false, reason: 'self-test-failed', message: (e as Error).message };
    }
  },

  async scaleAdd(alpha, x, y) {
    const { rt } = await gpu();
    const out = await scaleAddGpu(rt, alpha, x, y);
    return Comlink.transfer(out, [out.buffer]);
  },

  async kernel(op, input) {
    const { rt } = await gpu();
    return runOpGpu(rt, op, input);
  },
};

Comlink.expose(api);
