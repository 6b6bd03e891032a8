/**
 * The GPU model in Node through Dawn (the `webgpu` package; SwiftShader when the machine has no
 * GPU), the path the train / logits / eval CLIs use: a GRPO step over two micro-batches and
 * greedy generation match the CPU reference, as in the browser tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relError } from '../../gpu/kernels/testing';
import { acquireNodeGpu } from '../../gpu/node-gpu';
import { GpuRuntime } from '../../gpu/runtime';
import { nodeShaderSource } from '../../gpu/shaders-node';
import { createCpuModel } from './cpu-model';
import { createGpuModel } from './gpu-model';
import { compareSteps, GQA_UNTIED, grpoObjective, MICRO, OPT, spreadWeights, tokenBatch } from './model-parity';
import type { MicroBatch } from './objective';

let rt: GpuRuntime;
beforeAll(async () => {
  const ctx = await acquireNodeGpu();
  rt = new GpuRuntime(ctx.device, nodeShaderSource());
});
afterAll(() => rt?.device.destroy());

describe('GPU model in Node (Dawn)', () => {
  it('a GRPO step (two micro-batches, β > 0, old log-probs) and greedy generation match the CPU reference (GQA, untied head)', async () => {
    const w = spreadWeights(GQA_UNTIED, 31);
    const cpu = createCpuModel(GQA_UNTIED, w);
    const gpu = createGpuModel(rt, GQA_UNTIED, w);
    const b = tokenBatch(GQA_UNTIED, 3, 18, 32, 5);
    expect(relError(await gpu.logits(b.ids, b.B, b.T), await cpu.logits(b.ids, b.B, b.T))).toBeLessThanOrEqual(1e-4);
    const mbs: MicroBatch[] = [];
    for (const [i, bb] of [b, tokenBatch(GQA_UNTIED, 2, 18, 33, 4)].entries()) mbs.push({ batch: bb, objective: grpoObjective(bb, await cpu.logprobs(bb), 34 + i, { loss_type: 'grpo' }) });
    const r = await compareSteps(cpu, gpu, [mbs], OPT);
    expect(r.loss).toBeLessThanOrEqual(1e-4);
    expect(r.gradNorm).toBeLessThanOrEqual(1e-4);
    expect(r.weights).toBeLessThanOrEqual(1e-4);
    expect(r.updateVsLr).toBeLessThanOrEqual(0.02);
    // an SFT step where one micro-batch has no loss token at all (it adds nothing) and one has every row's
    const noLoss = { ...tokenBatch(GQA_UNTIED, 2, 9, 35), targets: new Int32Array(18).fill(-1) };
    const full = tokenBatch(GQA_UNTIED, 2, 9, 36);
    full.targets.forEach((_, i) => (full.targets[i] = full.ids[(i + 1) % 18]!));
    const s2 = await compareSteps(cpu, gpu, [[{ batch: noLoss, objective: { kind: 'sft' } }, { batch: full, objective: { kind: 'sft' } }]], OPT);
    expect(s2.loss).toBeLessThanOrEqual(1e-4);
    expect(s2.weights).toBeLessThanOrEqual(1e-4);
    expect(s2.gpu.num_tokens).toBe(18);
    // the LM head in chunks of 5 loss rows (large vocabularies chunk at 64 MiB of logits)
    const chunked = createGpuModel(rt, GQA_UNTIED, await gpu.getWeights(), { headChunkRows: 5 });
    const cpu2 = createCpuModel(GQA_UNTIED, await gpu.getWeights());
    expect(relError(await chunked.logprobs(b, 0.8), await cpu2.logprobs(b, 0.8))).toBeLessThanOrEqual(1e-4);
    const s3 = await compareSteps(cpu2, chunked, [[{ batch: full, objective: { kind: 'sft' } }], mbs], OPT);
    expect(s3.loss).toBeLessThanOrEqual(1e-4);
    expect(s3.weights).toBeLessThanOrEqual(1e-4);
    chunked.dispose();
    const prompts = [[1, 2, 3], [4], [5, 6, 7, 8, 9]];
    const o = { max_new_tokens: 8, temperature: 0, top_p: 1, stop_ids: [], seed: 1 };
    expect(await gpu.generate(prompts, o)).toEqual(await cpu.generate(prompts, o));
    gpu.dispose();
  });

  it('the same SFT steps from the same weights give bit-identical weights (embedding gradient summed in a fixed order)', async () => {
    // every position draws from 4 token ids, so each embedding row gets 25–40 gradient rows per
    // micro-batch: an order that varied between runs (float CAS adds did) would show in the bits
    const batch = (B: number, T: number, seed: number) => {
      const b = tokenBatch(MICRO, B, T, seed);
      b.ids.forEach((x, i) => (b.ids[i] = 3 + (x % 4)));
      b.targets.forEach((x, i) => (b.targets[i] = x < 0 ? -1 : b.ids[i + 1]!));
      return b;
    };
    const steps = [0, 1, 2].map((s) => [{ batch: batch(4, 40, 50 + s), objective: { kind: 'sft' as const } }, { batch: batch(3, 33, 60 + s), objective: { kind: 'sft' as const } }]);
    const w = spreadWeights(MICRO, 41);
    const bytes = async (m: { getWeights(): Promise<Map<string, Float32Array>> }) => [...(await m.getWeights())].map(([name, t]) => [name, new Uint8Array(t.buffer, t.byteOffset, t.byteLength)] as const);
    const runs = [];
    for (let k = 0; k < 2; k++) {
      const gpu = createGpuModel(rt, MICRO, w);
      const cpu = createCpuModel(MICRO, w);
      const c = await compareSteps(cpu, gpu, steps, OPT);
      expect(c.loss).toBeLessThanOrEqual(1e-4);
      expect(c.weights).toBeLessThanOrEqual(1e-4);
      // README: M·(10 + 24·L) + 4 dispatches per step (the scatter is still one per micro-batch)
      expect(gpu.lastStepDispatches).toBe(2 * (10 + 24 * MICRO.num_hidden_layers) + 4);
      runs.push(await bytes(gpu));
      gpu.dispose();
    }
    const [a, b] = runs;
    expect(b!.map(([n]) => n)).toEqual(a!.map(([n]) => n));
    for (const [i, [name, x]] of a!.entries()) {
      const y = b![i]![1];
      let diff = 0;
      for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) diff++;
      expect(diff, `${name}: bytes differing between two identical runs`).toBe(0);
    }
  });
});
