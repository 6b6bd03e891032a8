/**
 * The training loops on the real CPU reference model (micro preset): SFT learns (loss falls,
 * format rate rises on greedy completions), GRPO writes per-tier metrics and rollouts, and a
 * checkpoint resumes to bit-identical weights.
 */
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../model/config';
import { createCpuModel } from '../model/cpu-model';
import type { CausalLM } from '../model/causal-lm';
import type { MetricsRow, RolloutRecord } from '../rl/types';
import { scoreCompletion } from '../task/reward';
import type { Checkpoint } from './checkpoint';
import { decodeCompletion } from '../eval/evaluate';
import { plainTask, rlItems, sftExamples } from './items';
import { Run, type RunInputs } from './run';
import { resolveRunSettings } from './settings';
import { toyTask } from './testing/toy-task';

const toy = toyTask();
const config = presetConfig('micro', toy.tokenizer.vocabSize);
const inputs: RunInputs = {
  model_config: config,
  tokenizer: toy.tokenizer,
  sft: sftExamples(toy.pairs, plainTask, toy.tokenizer),
  rl: rlItems(toy.questions, plainTask, toy.tokenizer, config.max_position_embeddings),
};
const createModel = async () => createCpuModel(config, { seed: 0 });

/** greedy completions of every question: the share that keeps the answer format */
async function formatRate(model: CausalLM): Promise<number> {
  const gen = await model.generate(inputs.rl.map((i) => i.promptIds), { max_new_tokens: 24, temperature: 0, top_p: 1, stop_ids: [toy.tokenizer.specials.eos], seed: 1 });
  const scores = gen.tokens.map((t, i) => scoreCompletion(decodeCompletion(toy.tokenizer, t), toy.questions[i]!).format);
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}

describe('SFT on the CPU model (micro)', () => {
  it('the loss falls and the format rate of greedy completions rises', async () => {
    const rows: MetricsRow[] = [];
    let before = -1;
    const s = resolveRunSettings({ seed: 1, sft: { max_steps: 40, per_device_train_batch_size: 12, learning_rate: 3e-3, warmup_ratio: 0.1 }, grpo: { max_steps: 0 }, checkpoint_every: 0 });
    const run = new Run(s, inputs, { createModel }, { onMetrics: (r) => void rows.push(r), onCheckpoint: async (ck) => void (ck.label === 'base' && (before = await formatRate(run.model!))) });
    const res = await run.start();
    expect(res.status).toBe('completed');
    expect(rows).toHaveLength(40);
    const mean = (xs: MetricsRow[]) => xs.reduce((a, r) => a + r.loss, 0) / xs.length;
    expect(mean(rows.slice(-5))).toBeLessThan(0.5 * mean(rows.slice(0, 5)));
    expect(rows.at(-1)!.mean_token_accuracy!).toBeGreaterThan(rows[0]!.mean_token_accuracy! + 0.3);
    expect(rows.every((r) => r.phase === 'sft' && r.learning_rate >= 0 && r.num_tokens > 0)).toBe(true);
    const after = await formatRate(run.model!);
    expect(before).toBeLessThan(0.1);
    expect(after).toBeGreaterThan(0.8);
  });
});

describe('LoRA on the CPU model (micro)', () => {
  it('trains the adapters only, and a checkpoint (adapters + moments; the base comes from the inputs) resumes exactly', async () => {
    const base = createCpuModel(config, { seed: 9 });
    const baseWeights = await base.getWeights();
    const s = resolveRunSettings({ seed: 3, lora: { r: 4, alpha: 8, target_modules: ['q_proj', 'v_proj', 'down_proj'] }, sft: { max_steps: 4, per_device_train_batch_size: 8, learning_rate: 1e-2 }, grpo: { max_steps: 0 }, checkpoint_every: 2 });
    const loraInputs = { ...inputs, base_weights: baseWeights };
    const cks: Checkpoint[] = [];
    const a = new Run(s, loraInputs, { createModel }, { onCheckpoint: (c) => void cks.push(c) });
    expect((await a.start()).status).toBe('completed');
    const ck = cks.find((c) => c.step === 2)!;
    expect([...ck.tensors.keys()].filter((k) => k.startsWith('lora/')).length).toBe(2 * 3 * config.num_hidden_layers);
    expect([...ck.tensors.keys()].filter((k) => k.startsWith('adam_m/')).every((k) => k.includes('lora_'))).toBe(true);
    const final = await a.model!.getWeights();
    // frozen: the embedding never moves; a targeted projection does (merged)
    expect(Array.from(final.get('model.embed_tokens.weight')!)).toEqual(Array.from(baseWeights.get('model.embed_tokens.weight')!));
    expect(Array.from(final.get('model.layers.0.self_attn.q_proj.weight')!)).not.toEqual(Array.from(baseWeights.get('model.layers.0.self_attn.q_proj.weight')!));
    const b = new Run(s, loraInputs, { createModel }, {}, { resumeFrom: ck });
    expect((await b.start()).status).toBe('completed');
    const w = await b.model!.getWeights();
    for (const [k, v] of final) expect(Array.from(w.get(k)!), k).toEqual(Array.from(v));
    await expect(new Run(s, inputs, { createModel }, {}, { resumeFrom: ck }).start()).resolves.toMatchObject({ status: 'failed', reason: expect.stringMatching(/LoRA checkpoint resumes on its base model/) });
  });
});

describe('GRPO on the CPU model (micro)', () => {
  it('writes per-tier metrics and rollouts, and a checkpoint resumes to identical weights', async () => {
    const s = resolveRunSettings({
      seed: 2,
      sft: { max_steps: 25, per_device_train_batch_size: 12, learning_rate: 3e-3, warmup_ratio: 0.1 },
      grpo: { max_steps: 4, prompts_per_step: 3, num_generations: 4, max_completion_length: 24, learning_rate: 1e-3 },
      curriculum: { stage1_tiers: ['easy', 'moderate'], plateau_window: 2, stage1_max_steps: 2, mine_samples: 2, remine_every: 10, stage2_num_generations: 6 },
      checkpoint_every: 2,
    });
    const rows: MetricsRow[] = [];
    const rollouts: RolloutRecord[] = [];
    const cks: Checkpoint[] = [];
    const run = new Run(s, inputs, { createModel }, { onMetrics: (r) => void rows.push(r), onRollouts: (r) => void rollouts.push(...r), onCheckpoint: (c) => void cks.push(c) });
    const res = await run.start();
    expect(res.status).toBe('completed');
    const grpo = rows.filter((r) => r.phase === 'grpo');
    expect(grpo.map((r) => r.step)).toEqual([26, 27, 28, 29]);
    for (const r of grpo) {
      for (const k of ['reward', 'reward_std', 'frac_reward_zero_std', 'completions/mean_length', 'completions/clipped_ratio', 'clip_ratio/region_mean', 'entropy', 'grad_norm'] as const) expect(Number.isFinite(r[k]), `${k} at ${r.step}`).toBe(true);
      const tiers = Object.keys(r.per_tier!);
      expect(tiers.length).toBeGreaterThan(0);
      for (const t of Object.values(r.per_tier!)) expect(t.n).toBeGreaterThan(0);
    }
    // stage 1 draws easy + moderate only; stage 2 (G raised to 6) trains on mined items
    expect(grpo.filter((r) => r.stage === 1).every((r) => r.per_tier!.difficult === undefined)).toBe(true);
    expect(grpo.some((r) => r.stage === 2)).toBe(true);
    expect(rollouts.filter((r) => r.step === 29)).toHaveLength(3 * 6);
    for (const r of rollouts) {
      expect(r.question_id).toMatch(/^toy-/);
      expect(Number.isFinite(r.advantage)).toBe(true);
      if (!r.truncated) expect(r.tokens!.length).toBeGreaterThan(0);
    }
    // a group's advantages sum to zero (A = r − mean of the group, scaled)
    const g0 = rollouts.filter((r) => r.step === 26 && r.group === 0);
    expect(Math.abs(g0.reduce((a, r) => a + r.advantage, 0))).toBeLessThan(1e-6);

    const final = await run.model!.getWeights();
    const from = cks.find((c) => c.step === 27)!;
    const again = new Run(s, inputs, { createModel }, {}, { resumeFrom: from });
    expect((await again.start()).status).toBe('completed');
    const w = await again.model!.getWeights();
    for (const [k, v] of final) expect(Buffer.compare(Buffer.from(v.buffer, v.byteOffset, v.byteLength), Buffer.from(w.get(k)!.buffer, w.get(k)!.byteOffset, w.get(k)!.byteLength)), k).toBe(0);
  });
});
