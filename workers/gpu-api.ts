/** The typed contract between the UI and the GPU worker (comlink RPC). */
import type { GpuInfo } from '../src/gpu/device';
import type { Outputs } from '../src/gpu/harness/ops';

export type GpuStatus =
  | { ok: true; info: GpuInfo; selfTest: { kernel: string; n: number; maxAbsError: number; passed: boolean } }
  | { ok: false; reason: 'no-webgpu' | 'no-adapter' | 'device-failed' | 'self-test-failed'; message: string };

export interface GpuWorkerApi {
  /** acquire the device in the worker and run a kernel self-test against the CPU reference */
  probe(): Promise<GpuStatus>;
  scaleAdd(alpha: number, x: Float32Array, y: Float32Array): Promise<Float32Array>;
  /** run one kernel-harness op (same ops and JSON fields as `npm run kernel`) on the worker's device */
  kernel(op: string, input: unknown): Promise<Outputs>;
}
