/**
 * The Run on the GPU model in the browser (WebGPU; SwiftShader in CI): a checkpoint resumes to the
 * weights of an uninterrupted run, and a device destroyed mid-run is replaced (a fresh device from
 * the factory) and the run continues from its last checkpoint to the same result (up to the GPU
 * model's own run-to-run jitter, see maxDiff).
 */
import { describe, expect, it } from 'vitest';
import { acquireGpu } from '../../gpu/device';
import { GpuRuntime } from '../../gpu/runtime';
import { viteShaderSource } from '../../gpu/shaders-vite';
import { presetConfig, type Weights } from '../model/config';
import { createGpuModel } from '../model/gpu-model';
import type { MetricsRow } from '../rl/types';
import type { Checkpoint } from './checkpoint';
import { plainTask, rlItems, sftExamples } from './items';
import { Run, type RunInputs, type RunProgress } from './run';
import { resolveRunSettings } from './settings';
import { toyTask } from './testing/toy-task';

const toy = toyTask({ entities: 8 });
const config = presetConfig('micro', toy.tokenizer.vocabSize);
const inputs: RunInputs = {
  model_config: config,
  tokenizer: toy.tokenizer,
  sft: sftExamples(toy.pairs, plainTask, toy.tokenizer),
  rl: rlItems(toy.questions, plainTask, toy.tokenizer, config.max_position_embeddings),
};
const settings = resolveRunSettings({
  seed: 4,
  checkpoint_every: 2,
  sft: { max_steps: 4, per_device_train_batch_size: 6, learning_rate: 3e-3 },
  grpo: { max_steps: 3, prompts_per_step: 2, num_generations: 3, max_completion_length: 16, learning_rate: 1e-3 },
  curriculum: { stage1_max_steps: 1, mine_samples: 1, remine_every: 10, stage2_num_generations: 3 },
});

/** a factory as the worker has one: a model on the current device, a new device when it was lost */
function gpuFactory() {
  const runtimes: GpuRuntime[] = [];
  return {
    runtimes,
    async createModel() {
      let rt = runtimes.at(-1);
      if (!rt || rt.isLost) {
        rt = new GpuRuntime((await acquireGpu(navigator.gpu)).device, viteShaderSource);
        runtimes.push(rt);
      }
      return createGpuModel(rt, config, { seed: 0 });
    },
    dispose: () => runtimes.forEach((r) => r.device.destroy()),
  };
}

/**
 * Largest |a − b| over every weight. The GPU training step uses no atomics (the embedding gradient
 * is summed in a fixed order, shaders/lm_norm.wgsl): every thread's additions run in a fixed
 * order on one device, so a resumed or recovered run must agree bit for bit. Any restore slip (a
 * missing AdamW state, another data order or sampling seed) moves the weights by ~1e-3.
 */
function maxDiff(a: Weights, b: Weights): number {
  let d = 0;
  for (const [k, v] of a) {
    const w = b.get(k)!;
    for (let i = 0; i < v.length; i++) d = Math.max(d, Math.abs(v[i]! - w[i]!));
  }
  return d;
}

describe('Run on the GPU model', () => {
  it('resumes from a checkpoint to the weights of an uninterrupted run', async () => {
    const f = gpuFactory();
    const cks: Checkpoint[] = [];
    const a = new Run(settings, inputs, { createModel: f.createModel }, { onCheckpoint: (c) => void cks.push(c) });
    expect((await a.start()).status).toBe('completed');
    const want = await a.model!.getWeights();
    const from = cks.find((c) => c.step === 2)!; // mid-SFT: weights, AdamW moments and step, data position
    const b = new Run(settings, inputs, { createModel: f.createModel }, {}, { resumeFrom: from });
    expect((await b.start()).status).toBe('completed');
    expect(maxDiff(await b.model!.getWeights(), want)).toBe(0);
    f.dispose();
  }, 600_000);

  it('recovers from device.destroy() mid-run: a new device, the last checkpoint, the same weights', async () => {
    const clean = gpuFactory();
    const a = new Run(settings, inputs, { createModel: clean.createModel }, {});
    expect((await a.start()).status).toBe('completed');
    const want = await a.model!.getWeights();
    clean.dispose();

    const f = gpuFactory();
    const progress: RunProgress[] = [];
    let destroyed = false;
    const rows: MetricsRow[] = [];
    const run = new Run(settings, inputs, { createModel: f.createModel }, {
      onMetrics: (r) => {
        rows.push(r);
        // after step 3 (mid-SFT; the last checkpoint is at step 2), the GPU goes away
        if (r.step === 3 && !destroyed) {
          destroyed = true;
          f.runtimes.at(-1)!.device.destroy();
        }
      },
      onProgress: (p) => void progress.push(p),
    });
    const res = await run.start();
    expect(res.status).toBe('completed');
    expect(res.recoveries).toBe(1);
    expect(f.runtimes.length).toBe(2);
    expect(f.runtimes[0]!.isLost).toBe(true);
    expect(progress.find((p) => p.status === 'recovering')?.rolled_back_to).toBe(2);
    expect(rows.filter((r) => r.step === 3).length).toBe(2); // step 3 replayed after the rollback
    expect(maxDiff(await run.model!.getWeights(), want)).toBe(0);
    f.dispose();
  }, 600_000);
});
