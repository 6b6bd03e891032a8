/**
 * The Run's control flow: resume to identical weights, pause/stop, NaN/Inf skips, recovery from a
 * lost device, checkpoint bytes. These use the BigramLM test double (fast, real gradients) so they
 * test the Run, not the model; run.test.ts trains H1's CPU model for the learning checks.
 */
import { describe, expect, it } from 'vitest';
import { DeviceLostError } from '../../gpu/runtime';
import { presetConfig, type LlamaConfig, type Weights } from '../model/config';
import type { CurriculumEvent, MetricsRow, RolloutRecord } from '../rl/types';
import { type Checkpoint, checkpointFromBytes, checkpointToBytes, unprefixed, W } from './checkpoint';
import { plainTask, rlItems, type RunTask, sftExamples } from './items';
import { Run, type RunInputs, type RunProgress } from './run';
import { resolveRunSettings, type RunSettingsInput } from './settings';
import { BigramLM, type Faults } from './testing/bigram-lm';
import { toyTask } from './testing/toy-task';

const toy = toyTask();
const config: LlamaConfig = { ...presetConfig('micro', toy.tokenizer.vocabSize), hidden_size: 16, intermediate_size: 32, num_attention_heads: 2, num_key_value_heads: 1, head_dim: 8, num_hidden_layers: 1 };
// a bigram model seldom writes the whole format, so every group would score 0 and GRPO would not
// move the weights; this scorer (length parity) gives every group spread, so GRPO steps change them
const spreadTask: RunTask = { ...plainTask, score: (_q, c) => ({ correctness: c.length % 2, format: c.includes('<') ? 1 : 0 }) };
const inputs: RunInputs = {
  model_config: config,
  tokenizer: toy.tokenizer,
  sft: sftExamples(toy.pairs, plainTask, toy.tokenizer),
  rl: rlItems(toy.questions, spreadTask, toy.tokenizer, config.max_position_embeddings),
};

const settingsOf = (over: RunSettingsInput = {}) =>
  resolveRunSettings({
    seed: 3,
    checkpoint_every: 3,
    ...over,
    sft: { max_steps: 5, per_device_train_batch_size: 4, learning_rate: 0.05, warmup_ratio: 0.2, ...over.sft },
    // the bigram double rarely stops within 12 tokens: keep truncated completions in the loss
    grpo: { max_steps: 6, prompts_per_step: 2, num_generations: 3, max_completion_length: 12, learning_rate: 0.02, mask_truncated_completions: false, ...over.grpo },
    curriculum: { plateau_window: 2, stage1_max_steps: 3, mine_samples: 2, remine_every: 2, stage2_num_generations: 4, ...over.curriculum },
  });

interface Recorded {
  rows: MetricsRow[];
  rollouts: RolloutRecord[];
  events: CurriculumEvent[];
  checkpoints: Checkpoint[];
  progress: RunProgress[];
  models: BigramLM[];
}

function harness(faults: (n: number) => Faults = () => ({})) {
  const rec: Recorded = { rows: [], rollouts: [], events: [], checkpoints: [], progress: [], models: [] };
  const deps = {
    createModel: async (c: LlamaConfig) => {
      const m = new BigramLM(c, faults(rec.models.length));
      rec.models.push(m);
      return m;
    },
  };
  const cb = {
    onMetrics: (r: MetricsRow) => void rec.rows.push(r),
    onRollouts: (r: RolloutRecord[]) => void rec.rollouts.push(...r),
    onEvent: (e: CurriculumEvent) => void rec.events.push(e),
    onCheckpoint: (c: Checkpoint) => void rec.checkpoints.push(c),
    onProgress: (p: RunProgress) => void rec.progress.push(p),
  };
  return { rec, deps, cb };
}

const same = (a: Weights, b: Weights) => {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [k, v] of a) expect(Buffer.from(v.buffer, v.byteOffset, v.byteLength).equals(Buffer.from(b.get(k)!.buffer, b.get(k)!.byteOffset, b.get(k)!.byteLength)), k).toBe(true);
};

async function uninterrupted(over: RunSettingsInput = {}) {
  const h = harness();
  const run = new Run(settingsOf(over), inputs, h.deps, h.cb);
  const res = await run.start();
  expect(res.status).toBe('completed');
  return { ...h, res, weights: await run.model!.getWeights() };
}

describe('Run control flow (BigramLM test double)', () => {
  it('runs SFT → stage 1 → stage 2 with events, global steps and stage-end checkpoints', async () => {
    const { rec, res } = await uninterrupted();
    expect(res.step).toBe(11);
    expect(rec.rows.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(rec.rows.slice(0, 5).every((r) => r.phase === 'sft' && r.stage === 0)).toBe(true);
    expect(rec.rows.slice(5).every((r) => r.phase === 'grpo')).toBe(true);
    // GRPO steps carry signal (else the resume checks below would hold trivially)
    expect(rec.rows.slice(5).every((r) => r.grad_norm > 0 && (r.frac_reward_zero_std ?? 1) < 1)).toBe(true);
    expect(rec.events.map((e) => e.kind)).toEqual(['sft_end', 'stage1_start', 'plateau', 'stage2_start', 'remine', 'run_end']);
    expect(rec.rows.filter((r) => r.stage === 2).length).toBeGreaterThan(0);
    const labels = rec.checkpoints.map((c) => `${c.label}@${c.step}`);
    expect(labels).toContain('base@0');
    expect(labels).toContain('sft@5');
    expect(labels.some((l) => l.startsWith('rl_stage1@'))).toBe(true);
    expect(labels.at(-1)).toBe('rl_stage2@11');
    // rollouts carry the step they were sampled for, G per group
    const s2 = rec.rollouts.filter((r) => r.step === rec.rows.at(-1)!.step);
    expect(s2.length).toBe(2 * 4);
    expect(new Set(rec.rollouts.map((r) => r.step)).size).toBe(6);
  });

  it('resumes from any checkpoint to the same weights and the same rows', async () => {
    const a = await uninterrupted();
    for (const ck of a.rec.checkpoints.filter((c) => c.label !== 'rl_stage2')) {
      const b = harness();
      const bytes = checkpointToBytes(ck);
      const back = await checkpointFromBytes(bytes);
      const run = new Run(back.state.settings, inputs, b.deps, b.cb, { resumeFrom: back });
      const res = await run.start();
      expect(res.status, `from ${ck.label}@${ck.step}`).toBe('completed');
      same(await run.model!.getWeights(), a.weights);
      const strip = (r: MetricsRow) => ({ ...r, step_time: 0, tokens_per_s: 0 });
      expect(b.rec.rows.map(strip)).toEqual(a.rec.rows.filter((r) => r.step > ck.step).map(strip));
    }
  });

  it('beta > 0 keeps a frozen reference (in checkpoints) and num_iterations > 1 updates μ times per generation; both resume exactly', async () => {
    const over: RunSettingsInput = { grpo: { beta: 0.05, num_iterations: 2 } };
    const a = await uninterrupted(over);
    const grpo = a.rec.rows.filter((r) => r.phase === 'grpo');
    expect(grpo.map((r) => r.step)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(grpo.every((r) => r.kl !== undefined)).toBe(true);
    // one generation per two optimizer steps: rollouts are stamped with the cycle's first step
    expect([...new Set(a.rec.rollouts.map((r) => r.step))]).toEqual([6, 8, 10]);
    // the second update of a cycle sees the same rollouts: same reward figures
    expect(grpo[1]!.reward).toBe(grpo[0]!.reward);
    // models: the policy, then the frozen reference made at the SFT → GRPO hand-over
    expect(a.rec.models).toHaveLength(2);
    const sftCk = a.rec.checkpoints.find((c) => c.label === 'sft')!;
    const ref = unprefixed(sftCk.tensors, 'ref/');
    same(ref, unprefixed(sftCk.tensors, W));
    same(unprefixed(a.rec.checkpoints.at(-1)!.tensors, 'ref/'), ref); // frozen
    for (const ck of a.rec.checkpoints.filter((c) => c.step >= 5 && c.label !== 'rl_stage2')) {
      const b = harness();
      const run = new Run(ck.state.settings, inputs, b.deps, b.cb, { resumeFrom: ck });
      expect((await run.start()).status).toBe('completed');
      same(await run.model!.getWeights(), a.weights);
    }
  });

  it('pauses between steps, and stop() ends with a checkpoint that resumes', async () => {
    const h = harness();
    const s = settingsOf();
    let run!: Run;
    const cb = {
      ...h.cb,
      onMetrics: (r: MetricsRow) => {
        h.rec.rows.push(r);
        if (r.step === 2) run.pause();
        if (r.step === 4) run.stop();
      },
    };
    run = new Run(s, inputs, h.deps, cb);
    const done = run.start();
    await new Promise((r) => setTimeout(r, 30));
    expect(run.status).toBe('paused');
    expect(h.rec.rows.length).toBe(2);
    run.resume();
    const res = await done;
    expect(res.status).toBe('stopped');
    expect(res.step).toBe(4);
    expect(res.last_checkpoint!.step).toBe(4);
    const b = harness();
    const again = new Run(s, inputs, b.deps, b.cb, { resumeFrom: res.last_checkpoint! });
    expect((await again.start()).status).toBe('completed');
    same(await again.model!.getWeights(), (await uninterrupted()).weights);
  });

  it('a stop during a mining pass leaves it pending: the resumed run mines first and ends the same', async () => {
    const over: RunSettingsInput = { generation_batch_rows: 8 }; // 4 items per mining chunk
    const clean = await uninterrupted(over);
    const h = harness();
    let run!: Run;
    run = new Run(settingsOf(over), inputs, h.deps, { ...h.cb, onProgress: (p) => void (p.status === 'mining' && (p.mining?.done ?? 0) >= 8 && run.stop()) });
    const res = await run.start();
    expect(res.status).toBe('stopped');
    expect(res.last_checkpoint!.label).toBe('rl_stage1');
    expect(res.last_checkpoint!.state.curriculum!.pending_mine).toBe(true);
    const b = harness();
    const again = new Run(settingsOf(over), inputs, b.deps, b.cb, { resumeFrom: res.last_checkpoint! });
    expect((await again.start()).status).toBe('completed');
    expect(b.rec.events[0]!.kind).toBe('stage2_start');
    same(await again.model!.getWeights(), clean.weights);
  });

  it('an AbortSignal stops the run', async () => {
    const h = harness();
    const ctl = new AbortController();
    const run = new Run(settingsOf(), inputs, h.deps, { ...h.cb, onMetrics: (r) => void (r.step === 3 && ctl.abort()) }, { signal: ctl.signal });
    const res = await run.start();
    expect(res.status).toBe('stopped');
    expect(res.step).toBe(3);
  });

  it('skips NaN/Inf steps without touching the weights and stops after max_consecutive_skips', async () => {
    const h = harness(() => ({ nanOnSteps: [2, 4, 5, 6] }));
    const run = new Run(settingsOf({ max_consecutive_skips: 3 }), inputs, h.deps, h.cb);
    const res = await run.start();
    expect(res.status).toBe('failed');
    expect(res.reason).toMatch(/3 steps in a row had a NaN or infinite loss/);
    expect(res.skipped_steps).toBe(4);
    expect(h.rec.rows.map((r) => Boolean(r.skipped))).toEqual([false, true, false, true, true, true]);
    // a skipped step leaves the weights as they were: the checkpoint at step 3 equals one taken after step 3 of a run whose 4th step was skipped
  });

  it('recovers from a lost device: new model, last checkpoint, same final weights', async () => {
    const clean = await uninterrupted();
    // the first model loses its device on its 8th trainStep (a GRPO step after the step-6 checkpoint)
    const h = harness((n) => (n === 0 ? { throwOnStep: { call: 8, error: () => new DeviceLostError('destroyed', 'device.destroy() was called') } } : {}));
    const run = new Run(settingsOf(), inputs, h.deps, h.cb);
    const res = await run.start();
    expect(res.status).toBe('completed');
    expect(res.recoveries).toBe(1);
    expect(h.rec.models.length).toBe(2);
    const rec = h.rec.progress.find((p) => p.status === 'recovering')!;
    expect(rec.rolled_back_to).toBe(6);
    same(await run.model!.getWeights(), clean.weights);
    // the replayed steps come again with the same numbers and values
    const strip = (r: MetricsRow) => ({ ...r, step_time: 0, tokens_per_s: 0 });
    const last = new Map(h.rec.rows.map((r) => [r.step, strip(r)]));
    expect([...last.values()]).toEqual(clean.rec.rows.map(strip));
  });

  it('a checkpoint round-trips through bytes, and a foreign safetensors file is refused with the reason', async () => {
    const { rec } = await uninterrupted();
    const ck = rec.checkpoints.find((c) => c.label === 'sft')!;
    const back = await checkpointFromBytes(checkpointToBytes(ck));
    expect(back.state).toEqual(ck.state);
    same(unprefixed(back.tensors, W), unprefixed(ck.tensors, W));
    expect([...back.tensors.keys()].some((k) => k.startsWith('adam_m/'))).toBe(true);
    const { writeSafetensors } = await import('../hf/safetensors');
    await expect(checkpointFromBytes(writeSafetensors([{ name: 'x', shape: [1], data: new Float32Array(1) }]), 'model.safetensors')).rejects.toThrow(/not a run checkpoint/);
  });

  it('an SFT-only run needs no curriculum and ends with a final checkpoint', async () => {
    const h = harness();
    const onlyHard = { ...inputs, rl: inputs.rl.filter((i) => i.difficulty === 'difficult') };
    const run = new Run(settingsOf({ grpo: { max_steps: 0 } }), onlyHard, h.deps, h.cb);
    expect((await run.start()).status).toBe('completed');
    expect(h.rec.events.map((e) => e.kind)).toEqual(['sft_end', 'run_end']);
    expect(h.rec.checkpoints.at(-1)!.label).toBe('final');
    expect(h.rec.checkpoints.at(-1)!.state.phase).toBe('done');
    // resuming a finished run does nothing more
    const b = harness();
    const again = new Run(settingsOf({ grpo: { max_steps: 0 } }), onlyHard, b.deps, b.cb, { resumeFrom: h.rec.checkpoints.at(-1)! });
    expect((await again.start()).status).toBe('completed');
    expect(b.rec.rows).toHaveLength(0);
  });

  it('refuses bad settings with the field named', () => {
    const h = harness();
    expect(() => new Run(settingsOf({ grpo: { num_generations: 1 } }), inputs, h.deps, h.cb)).toThrow(/grpo.num_generations must be an integer ≥ 2/);
    expect(() => new Run(settingsOf({ sft: { lr_scheduler_type: 'cosine_with_restarts' as never } }), inputs, h.deps, h.cb)).toThrow(/sft.lr_scheduler_type must be one of/);
  });
});
