/**
 * Models for the training worker: the GPU model on a device this worker acquires (re-acquired
 * after a loss), or the CPU reference model when WebGPU is missing or the user asks for it; and
 * Hugging Face bases from picked files or the hub.
 */
import { acquireGpu, type GpuContext } from '../../src/gpu/device';
import { GpuRuntime } from '../../src/gpu/runtime';
import { viteShaderSource } from '../../src/gpu/shaders-vite';
import { loadCheckpointFolder, type LoadedCheckpoint } from '../../src/training/hf/checkpoint';
import { loadHubCheckpoint } from '../../src/training/hf/hub';
import type { CausalLM } from '../../src/training/model/causal-lm';
import type { LlamaConfig } from '../../src/training/model/config';
import { createCpuModel } from '../../src/training/model/cpu-model';
import { createGpuModel } from '../../src/training/model/gpu-model';
import type { Backend, ModelChoice, PrepareProgress } from '../training-api';
import { withTestHooks } from './test-hooks';

let gpu: Promise<{ ctx: GpuContext; rt: GpuRuntime }> | null = null;

/** this worker's device and runtime; dropped when lost, so the next call acquires a fresh one */
export function workerGpu(): Promise<{ ctx: GpuContext; rt: GpuRuntime }> {
  if (!gpu) {
    const p = acquireGpu(self.navigator.gpu).then((ctx) => ({ ctx, rt: new GpuRuntime(ctx.device, viteShaderSource) }));
    gpu = p;
    p.then((g) => g.rt.lost.then(() => {
      if (gpu === p) gpu = null;
    })).catch(() => {
      if (gpu === p) gpu = null;
    });
  }
  return gpu;
}

/** the device this worker holds now, without acquiring one (test hooks, soak statistics) */
export function currentGpu(): Promise<{ ctx: GpuContext; rt: GpuRuntime }> | null {
  return gpu;
}

export interface ModelFactory {
  backend: 'webgpu' | 'cpu';
  device: string;
  create(config: LlamaConfig): Promise<CausalLM>;
}

/** Which backend a run uses: WebGPU when asked or available ("auto"), else the CPU reference model (with the reason). */
export async function modelFactory(backend: Backend): Promise<ModelFactory & { note?: string }> {
  if (backend !== 'cpu') {
    try {
      const g = await workerGpu();
      const info = g.ctx.info;
      const device = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' · ') || 'WebGPU adapter';
      return {
        backend: 'webgpu',
        device: `${device}${info.isFallbackAdapter ? ' (software fallback)' : ''}`,
        create: async (config) => withTestHooks(await createGpuModel((await workerGpu()).rt, config, { seed: 0 })),
      };
    } catch (e) {
      if (backend === 'webgpu') throw new Error(`WebGPU is not available in this worker (${(e as Error).message}); choose the CPU backend or a WebGPU browser`);
      return { backend: 'cpu', device: 'CPU reference model (JavaScript)', note: `no WebGPU here (${(e as Error).message}): training on the CPU reference model, which is much slower`, create: async (config) => withTestHooks(await createCpuModel(config, { seed: 0 })) };
    }
  }
  return { backend: 'cpu', device: 'CPU reference model (JavaScript)', create: async (config) => withTestHooks(await createCpuModel(config, { seed: 0 })) };
}

/** A Hugging Face base from picked files or the hub, with progress. */
export async function loadBase(choice: Exclude<ModelChoice, { kind: 'preset' }>, onProgress: (p: PrepareProgress) => void): Promise<LoadedCheckpoint> {
  if (choice.kind === 'hf-files') {
    const files = new Map(choice.files.map((f) => [f.name, f.file] as const));
    onProgress({ stage: 'model', message: `reading ${choice.name}…` });
    return loadCheckpointFolder(files, { onProgress: (done, total) => onProgress({ stage: 'model', message: `reading ${choice.name} weights`, done, total }) });
  }
  return loadHubCheckpoint(choice.model_id, {
    ...(choice.revision ? { revision: choice.revision } : {}),
    onProgress: (p) => onProgress({ stage: 'model', message: `${p.fromCache ? 'from cache' : 'downloading'} ${choice.model_id}/${p.file}`, done: p.loaded, ...(p.total !== null ? { total: p.total } : {}) }),
    onLoadProgress: (done, total) => onProgress({ stage: 'model', message: `reading ${choice.model_id} weights`, done, total }),
  });
}
