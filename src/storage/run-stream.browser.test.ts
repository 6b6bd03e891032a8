/**
 * The training worker's streamer (workers/training/streamer.ts) against a real IndexedDB: batches
 * land with the run's progress, the UI gets one message per batch with the latest group per tier,
 * and a write that fails keeps its batch (reported, nothing half-written) until a later flush stores it.
 */
import { describe, expect, it } from 'vitest';
import { Streamer, latestGroups } from '../../workers/training/streamer';
import type { StreamMessage } from '../../workers/training-api';
import { DEFAULT_CURRICULUM, DEFAULT_GRPO, DEFAULT_SFT } from '../training/rl/defaults';
import type { MetricsRow, RolloutRecord } from '../training/rl/types';
import { openWorkbenchDb } from './open-db';
import { getRun, putRun, readMetrics, type RunRecord } from './run-store';

const run = (id: string): RunRecord => ({
  id,
  name: id,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  status: 'running',
  settings: { model: { kind: 'preset', preset: 'micro' }, sft: DEFAULT_SFT, grpo: DEFAULT_GRPO, curriculum: DEFAULT_CURRICULUM, seed: 1, checkpoint_every: 10 },
  dataset: { name: 't', kind: 't', train: 1, heldout: 1, tiers: {}, imported: 0 },
  model: { config: { vocab_size: 8, hidden_size: 8, intermediate_size: 8, num_hidden_layers: 1, num_attention_heads: 1, num_key_value_heads: 1, head_dim: 8, max_position_embeddings: 8, rms_norm_eps: 1e-5, rope_theta: 1e4, tie_word_embeddings: true }, parameters: 1 },
  plannedSteps: 10,
  step: 0,
  phase: 'sft',
  stage: 0,
  activeMs: 0,
  lastCheckpointStep: null,
});
const row = (step: number): MetricsRow => ({ step, phase: 'grpo', stage: 1, loss: 0, learning_rate: 1e-3, grad_norm: 1, num_tokens: 1, step_time: 1, tokens_per_s: 1, entropy: 1 });
const ro = (step: number, group: number, index: number, difficulty: RolloutRecord['difficulty']): RolloutRecord => ({ step, question_id: `q${group}`, difficulty, group, index, prompt: '', completion: '', reward: 0, correctness: 0, format: 0, advantage: 0, truncated: false });

describe('run streamer', () => {
  it('latest complete group per tier of a batch', () => {
    const g = latestGroups([ro(1, 0, 0, 'easy'), ro(1, 0, 1, 'easy'), ro(2, 0, 1, 'easy'), ro(2, 0, 0, 'easy'), ro(2, 1, 0, 'moderate')]);
    expect(g.easy!.map((r) => `${r.step}/${r.index}`)).toEqual(['2/0', '2/1']);
    expect(g.moderate!.length).toBe(1);
    expect(g.difficult).toBeUndefined();
  });

  it('stores each batch with the run progress, sends one message per batch, keeps a failed batch for the next flush', async () => {
    const db = await openWorkbenchDb(`streamer-${Date.now()}`);
    const sent: StreamMessage[] = [];
    const errors: string[] = [];
    const s = new Streamer('late', db, (m) => sent.push(m), (e) => errors.push(e), 10_000);
    s.metricsRow(row(1));
    s.metricsRow(row(2));
    s.rolloutRows([ro(2, 0, 0, 'easy')]);
    s.patchRun({ step: 2 });
    // the run record does not exist yet: the write fails, nothing is sent, the batch is kept
    await s.flush();
    expect(errors.length).toBe(1);
    expect(errors[0]).toMatch(/no run late/);
    expect(sent.length).toBe(0);
    expect(s.failing).toBe(true);
    expect(await readMetrics(db, 'late')).toEqual([]);
    await putRun(db, run('late'));
    s.metricsRow(row(3));
    await s.flush();
    expect(s.failing).toBe(false);
    expect((await readMetrics(db, 'late')).map((r) => r.step)).toEqual([1, 2, 3]);
    expect((await getRun(db, 'late'))!.step).toBe(2);
    expect(sent.length).toBe(1);
    expect(sent[0]!.metrics.map((r) => r.step)).toEqual([1, 2, 3]);
    expect(sent[0]!.groups.easy!.length).toBe(1);
    expect(sent[0]!.run?.step).toBe(2);
    db.close();
  });

  it('a rollback (lost device) drops queued and stored rows after the checkpoint, in order with the writes, and tells the UI even if later progress came first', async () => {
    const db = await openWorkbenchDb(`streamer-rb-${Date.now()}`);
    await putRun(db, run('rb'));
    const sent: StreamMessage[] = [];
    const s = new Streamer('rb', db, (m) => sent.push(m), () => {}, 10_000);
    for (const k of [1, 2, 3, 4]) s.metricsRow(row(k));
    s.rolloutRows([ro(4, 0, 0, 'easy')]);
    await s.flush();
    s.metricsRow(row(5));
    s.event({ step: 5, kind: 'plateau', reason: 'r', values: {} });
    const progress = { phase: 'grpo', stage: 1, step: 5, total_steps: 10 } as const;
    s.setProgress({ ...progress, status: 'recovering', rolled_back_to: 2 });
    s.rollback(2);
    // the run carries on before the next flush: its "running" progress replaces the "recovering" one
    s.setProgress({ ...progress, status: 'running', step: 2 });
    s.metricsRow(row(3));
    await s.flush();
    expect((await readMetrics(db, 'rb')).map((r) => r.step)).toEqual([1, 2, 3]);
    expect(await db.getAll('rollouts')).toEqual([]);
    expect(await db.getAll('events')).toEqual([]);
    const last = sent.at(-1)!;
    expect(last.progress?.rolled_back_to).toBe(2);
    expect(last.metrics.map((r) => r.step)).toEqual([3]);
    db.close();
  });
});
