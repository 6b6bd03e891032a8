/**
 * Models for the Node entry points (train / logits / eval CLIs, bench:train): the GPU model on
 * WebGPU through Dawn (SwiftShader when the machine has no GPU), or the CPU reference model.
 * After a lost device, the next createModel acquires a fresh one: the Run's recovery path.
 * Node only (imports node-gpu); the app's worker builds its models from navigator.gpu.
 */
import type { GpuContext } from '../../gpu/device';
import type { GpuRuntime } from '../../gpu/runtime';
import type { CausalLM } from '../model/causal-lm';
import type { LlamaConfig } from '../model/config';
import { createCpuModel } from '../model/cpu-model';

export interface NodeModelFactory {
  createModel(config: LlamaConfig, purpose?: 'policy' | 'reference'): Promise<CausalLM>;
  /** the device in words */
  readonly describe: string;
  /** the current runtime (GPU only), e.g. for a test that destroys its device */
  readonly runtime: GpuRuntime | null;
  dispose(): void;
}

export async function nodeModelFactory(opts: { cpu: boolean }): Promise<NodeModelFactory> {
  if (opts.cpu) {
    return {
      createModel: async (config) => createCpuModel(config, { seed: 0 }),
      describe: 'CPU reference model (float64 accumulation)',
      runtime: null,
      dispose() {},
    };
  }
  const { acquireNodeGpu } = await import('../../gpu/node-gpu');
  const { nodeShaderSource } = await import('../../gpu/shaders-node');
  const { GpuRuntime } = await import('../../gpu/runtime');
  const { createGpuModel } = await import('../model/gpu-model');
  const shaders = nodeShaderSource();
  let ctx: GpuContext = await acquireNodeGpu();
  let rt = new GpuRuntime(ctx.device, shaders);
  const contexts: GpuContext[] = [ctx];
  const describe = `WebGPU (Dawn): ${ctx.info.description || ctx.info.vendor || 'adapter'}${ctx.info.isFallbackAdapter ? ' (software)' : ''}`;
  return {
    async createModel(config) {
      if (rt.isLost) {
        ctx = await acquireNodeGpu();
        contexts.push(ctx);
        rt = new GpuRuntime(ctx.device, shaders);
      }
      return createGpuModel(rt, config, { seed: 0 });
    },
    describe,
    get runtime() {
      return rt;
    },
    dispose() {
      for (const c of contexts) c.device.destroy();
    },
  };
}
