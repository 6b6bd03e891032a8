/**
 * The GPU model against the CPU reference model in headless Chromium (WebGPU on SwiftShader):
 * whole training steps (SFT and GRPO, several micro-batches, β > 0, old log-probs as with
 * num_iterations > 1), logits, log-probs, generation, LoRA, state round trips, a NaN step and
 * a lost device, on the micro preset and on a GQA + untied-head config.
 * Tolerances: float32 against float64, relative 1e-4 for losses, norms and logits, 1e-3 for
 * gradients; weights after AdamW within 1e-4 relative and 2% of lr per element (an update is
 * ≈ lr·sign(g) early on, so a sign decided by float rounding would show as 2·lr; OPT's eps
 * keeps gradients at the float32 noise floor from deciding signs, see model-parity.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu } from '../../gpu/device';
import { relError } from '../../gpu/kernels/testing';
import { sampleCpu } from '../../gpu/kernels/sample-cpu';
import { DeviceLostError, GpuRuntime } from '../../gpu/runtime';
import { viteShaderSource } from '../../gpu/shaders-vite';
import { Rng } from '../../synthesis/rng';
import type { GenerateOptions } from './causal-lm';
import type { LlamaConfig } from './config';
import { createCpuModel } from './cpu-model';
import { createGpuModel, type GpuModel } from './gpu-model';
import { compareSteps, GQA_UNTIED, grpoObjective, MICRO, OPT, spreadWeights, tokenBatch } from './model-parity';
import type { MicroBatch } from './objective';

let rt: GpuRuntime;
beforeAll(async () => {
  const ctx = await acquireGpu(navigator.gpu);
  rt = new GpuRuntime(ctx.device, viteShaderSource);
});
afterAll(() => rt?.device.destroy());

const models = (c: LlamaConfig, seed: number) => {
  const w = spreadWeights(c, seed);
  return { cpu: createCpuModel(c, w), gpu: createGpuModel(rt, c, w) };
};

describe('GPU model matches the CPU reference', () => {
  for (const [name, c] of [['micro preset (tied, GQA 4/2, d=16)', MICRO], ['GQA 6/2, untied head, d=32', GQA_UNTIED]] as const) {
    it(`logits and log-probs at a temperature (${name})`, async () => {
      const { cpu, gpu } = models(c, 1);
      const b = tokenBatch(c, 3, 21, 2);
      expect(relError(await gpu.logits(b.ids, b.B, b.T), await cpu.logits(b.ids, b.B, b.T))).toBeLessThanOrEqual(1e-4);
      expect(relError(await gpu.logprobs(b, 0.7), await cpu.logprobs(b, 0.7))).toBeLessThanOrEqual(1e-4);
      gpu.dispose();
    });

    it(`a whole SFT step over three micro-batches of different shapes: loss, grad norm, gradients, updated weights (${name})`, async () => {
      const { cpu, gpu } = models(c, 3);
      const mbs: MicroBatch[] = [tokenBatch(c, 4, 24, 4), tokenBatch(c, 2, 17, 5), tokenBatch(c, 3, 24, 6)].map((batch) => ({ batch, objective: { kind: 'sft' } }));
      const gc = cpu.gradients(mbs);
      const gg = await gpu.gradients(mbs);
      for (const [k, g] of gc.grads) expect(relError(gg.grads.get(k)!, g), k).toBeLessThanOrEqual(1e-3);
      const r = await compareSteps(cpu, gpu, [mbs, mbs], OPT);
      expect(r.loss).toBeLessThanOrEqual(1e-4);
      expect(r.gradNorm).toBeLessThanOrEqual(1e-4);
      expect(r.entropy).toBeLessThanOrEqual(1e-4);
      expect(r.weights).toBeLessThanOrEqual(1e-4);
      expect(r.updateVsLr).toBeLessThanOrEqual(0.02);
      expect(r.gpu.num_tokens).toBe(r.cpu.num_tokens);
      expect(r.gpu.mean_token_accuracy).toBeCloseTo(r.cpu.mean_token_accuracy, 6);
      expect(gpu.lastStepDispatches).toBeGreaterThan(0);
      gpu.dispose();
    });
  }

  for (const loss_type of ['dapo', 'grpo', 'bnpo', 'cispo'] as const) {
    it(`a whole GRPO step, loss_type=${loss_type}, two micro-batches, β = 0.04, old log-probs, temperature 0.9 (micro)`, async () => {
      const { cpu, gpu } = models(MICRO, 7);
      const mbs: MicroBatch[] = [];
      for (const [i, b] of [tokenBatch(MICRO, 4, 20, 8, 6), tokenBatch(MICRO, 4, 20, 9, 5)].entries()) {
        const lp = await cpu.logprobs(b, 0.9);
        mbs.push({ batch: b, objective: grpoObjective(b, lp, 10 + i, { loss_type, temperature: 0.9, epsilon_high: loss_type === 'cispo' ? 1.2 : 0.28 }) });
      }
      const r = await compareSteps(cpu, gpu, [mbs], OPT);
      expect(r.loss).toBeLessThanOrEqual(1e-4);
      expect(r.gradNorm).toBeLessThanOrEqual(1e-4);
      expect(r.kl).toBeLessThanOrEqual(1e-5);
      expect(r.cpu.kl).toBeGreaterThan(0);
      expect(r.clip).toBeLessThanOrEqual(1 / r.cpu.num_tokens + 1e-9); // at most one boundary token flips
      expect(r.cpu.clip_ratio.region_mean).toBeGreaterThan(0);
      expect(r.weights).toBeLessThanOrEqual(1e-4);
      expect(r.updateVsLr).toBeLessThanOrEqual(0.02);
      gpu.dispose();
    });
  }

  it('GRPO with detached old log-probs (num_iterations = 1) on the GQA + untied config', async () => {
    const { cpu, gpu } = models(GQA_UNTIED, 11);
    const b = tokenBatch(GQA_UNTIED, 3, 19, 12, 5);
    const o = { ...grpoObjective(b, await cpu.logprobs(b), 13, { loss_type: 'grpo' }), oldLogprobs: null };
    const r = await compareSteps(cpu, gpu, [[{ batch: b, objective: o }]], OPT);
    expect(r.loss).toBeLessThanOrEqual(1e-4);
    expect(r.cpu.clip_ratio.region_mean).toBe(0); // ratio 1 everywhere
    expect(r.weights).toBeLessThanOrEqual(1e-4);
    expect(r.updateVsLr).toBeLessThanOrEqual(0.02);
    gpu.dispose();
  });

  it('a NaN/Inf step is skipped on the GPU too: applied=false, weights and optimizer state unchanged', async () => {
    const { gpu } = models(MICRO, 14);
    const b = tokenBatch(MICRO, 2, 12, 15, 4);
    const o = grpoObjective(b, new Float32Array(b.B * b.T).fill(-5), 16);
    o.advantages[0] = -1;
    o.oldLogprobs![b.targets.findIndex((t) => t >= 0)] = -Infinity;
    const before = await gpu.getWeights();
    const r = await gpu.trainStep([{ batch: b, objective: o }], OPT);
    expect(r.applied).toBe(false);
    expect(await gpu.getWeights()).toEqual(before);
    expect((await gpu.getOptimizerState()).step).toBe(0);
    // and the next finite step still applies as step 1
    const ok = await gpu.trainStep([{ batch: b, objective: { kind: 'sft' } }], OPT);
    expect(ok.applied).toBe(true);
    expect((await gpu.getOptimizerState()).step).toBe(1);
    gpu.dispose();
  });

  it('LoRA on q/v/down: adapters train, the base stays, merged weights and the step match the CPU model', async () => {
    const { cpu, gpu } = models(GQA_UNTIED, 17);
    const lora = { r: 4, alpha: 8, target_modules: ['q_proj', 'v_proj', 'down_proj'] };
    await cpu.enableLora(lora, 5);
    await gpu.enableLora(lora, 5);
    expect(await gpu.getLoraWeights()).toEqual(await cpu.getLoraWeights());
    const base = await gpu.getWeights({ merged: false });
    const mbs: MicroBatch[] = [{ batch: tokenBatch(GQA_UNTIED, 3, 16, 18), objective: { kind: 'sft' } }];
    const r = await compareSteps(cpu, gpu, [mbs, mbs], { ...OPT, lr: 1e-2 });
    expect(r.loss).toBeLessThanOrEqual(1e-4);
    expect(r.weights).toBeLessThanOrEqual(1e-4);
    expect(await gpu.getWeights({ merged: false })).toEqual(base);
    const la = await gpu.getLoraWeights();
    const lc = await cpu.getLoraWeights();
    for (const [k, t] of lc) expect(relError(la.get(k)!, t), k).toBeLessThanOrEqual(1e-3);
    gpu.dispose();
  });

  it('weights and optimizer state round-trip: a GPU model restored from CPU state takes the same next step', async () => {
    const { cpu, gpu } = models(MICRO, 19);
    const mbs: MicroBatch[] = [{ batch: tokenBatch(MICRO, 3, 16, 20), objective: { kind: 'sft' } }];
    await cpu.trainStep(mbs, OPT);
    await gpu.setWeights(await cpu.getWeights());
    await gpu.setOptimizerState(await cpu.getOptimizerState());
    expect(await gpu.getWeights()).toEqual(await cpu.getWeights());
    const st = await gpu.getOptimizerState();
    expect(st.step).toBe(1);
    const r = await compareSteps(cpu, gpu, [mbs], OPT);
    expect(r.weights).toBeLessThanOrEqual(1e-4);
    expect(r.updateVsLr).toBeLessThanOrEqual(0.02);
    gpu.dispose();
  });
});

describe('GPU generation with the KV cache', () => {
  const prompts = [[1, 2, 3, 4, 5], [6], [7, 8, 9], [10, 11, 12, 13, 14, 15, 16, 17], [18, 19]];

  for (const [name, c] of [['micro', MICRO], ['GQA + untied', GQA_UNTIED]] as const) {
    it(`greedy decoding gives the CPU reference's tokens exactly, prompts of different lengths (${name})`, async () => {
      const { cpu, gpu } = models(c, 21);
      const o: GenerateOptions = { max_new_tokens: 12, temperature: 0, top_p: 1, stop_ids: [5], seed: 1 };
      const want = await cpu.generate(prompts, o);
      const got = await gpu.generate(prompts, o);
      expect(got).toEqual(want);
      // the same without the cache (re-running the whole sequence every step)
      expect(await (gpu as GpuModel).generateUncached(prompts, o)).toEqual(want);
      gpu.dispose();
    });
  }

  it('sampling with temperature and top-p: the same seed gives the CPU reference\'s tokens (up to a draw within float rounding of a bin edge)', async () => {
    const { cpu, gpu } = models(MICRO, 22);
    const o: GenerateOptions = { max_new_tokens: 16, temperature: 0.8, top_p: 0.9, stop_ids: [], seed: 1234 };
    const got = await gpu.generate(prompts, o);
    // replay the CPU reference's draws to know each one's distance from a bin edge
    const margins = new Map<string, number>();
    const rng = new Rng(o.seed);
    const u: number[] = Array.from({ length: o.max_new_tokens * prompts.length }, () => rng.next());
    const want = await cpu.generateTraced(prompts, o, (row, step, logits) => {
      margins.set(`${row}:${step}`, sampleCpu(Float32Array.from(logits), 0, MICRO.vocab_size, o.temperature, o.top_p, u[step * prompts.length + row]!).margin);
    });
    let compared = 0;
    for (let b = 0; b < prompts.length; b++) {
      for (let s = 0; s < o.max_new_tokens; s++) {
        if (got.tokens[b]![s] !== want.tokens[b]![s]) {
          // the only allowed difference: a draw that sat within float32 rounding of a bin edge; the rows diverge after it
          expect(margins.get(`${b}:${s}`)!, `row ${b} step ${s}`).toBeLessThan(1e-5);
          break;
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(60);
    // same seed, same completions on the GPU
    expect(await gpu.generate(prompts, o)).toEqual(got);
    gpu.dispose();
  });

  it('stops each row at its stop id and stops decoding once every row has stopped', async () => {
    const { cpu, gpu } = models(MICRO, 23);
    const o: GenerateOptions = { max_new_tokens: 40, temperature: 1, top_p: 1, stop_ids: [], seed: 3 };
    const free = await cpu.generate(prompts, o);
    // stop ids = each row's 3rd generated token: every row stops by step 3
    const stops = free.tokens.map((t) => t[2]!);
    const o2 = { ...o, stop_ids: stops };
    const got = await gpu.generate(prompts, o2);
    expect(got).toEqual(await cpu.generate(prompts, o2));
    for (const t of got.tokens) expect(t.length).toBeLessThanOrEqual(3);
    expect(got.truncated.every((x) => !x)).toBe(true);
    gpu.dispose();
  });
});

describe('GPU model: a lost device', () => {
  it('every call after device.destroy() rejects with DeviceLostError', async () => {
    const ctx = await acquireGpu(navigator.gpu);
    const own = new GpuRuntime(ctx.device, viteShaderSource);
    const gpu = createGpuModel(own, MICRO, { seed: 1 });
    const mbs: MicroBatch[] = [{ batch: tokenBatch(MICRO, 2, 10, 24), objective: { kind: 'sft' } }];
    expect((await gpu.trainStep(mbs, OPT)).applied).toBe(true);
    ctx.device.destroy();
    await expect(gpu.trainStep(mbs, OPT)).rejects.toBeInstanceOf(DeviceLostError);
    await expect(gpu.getWeights()).rejects.toBeInstanceOf(DeviceLostError);
    await expect(gpu.generate([[1]], { max_new_tokens: 2, temperature: 0, top_p: 1, stop_ids: [], seed: 1 })).rejects.toBeInstanceOf(DeviceLostError);
  });
});
