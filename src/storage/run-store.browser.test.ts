import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CURRICULUM, DEFAULT_GRPO, DEFAULT_SFT } from '../training/rl/defaults';
import type { MetricsRow, RolloutRecord } from '../training/rl/types';
import type { Difficulty } from '../synthesis/record';
import { openWorkbenchDb } from './open-db';
import {
  appendStream,
  createRun,
  getRunData,
  deleteRun,
  latestCheckpoint,
  latestGroupsPerTier,
  listCheckpoints,
  listRuns,
  markInterrupted,
  putCheckpoint,
  putRun,
  readCheckpoint,
  readEvents,
  readMetrics,
  readRolloutsAt,
  thinnedRanges,
  truncateAfter,
  updateRun,
  type RunRecord,
} from './run-store';

let n = 0;
const freshName = () => `run-store-test-${Date.now()}-${n++}`;

const run = (id: string, extra: Partial<RunRecord> = {}): RunRecord => ({
  id,
  name: `run ${id}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  updatedAt: new Date().toISOString(),
  status: 'running',
  settings: { model: { kind: 'preset', preset: 'micro' }, sft: DEFAULT_SFT, grpo: DEFAULT_GRPO, curriculum: DEFAULT_CURRICULUM, seed: 1, checkpoint_every: 10 },
  dataset: { name: 'test', kind: 'test', train: 10, heldout: 5, tiers: { easy: 4, moderate: 4, difficult: 2 }, imported: 0 },
  model: { config: { vocab_size: 10, hidden_size: 8, intermediate_size: 16, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1, head_dim: 4, max_position_embeddings: 32, rms_norm_eps: 1e-5, rope_theta: 1e4, tie_word_embeddings: true }, parameters: 1000 },
  plannedSteps: 100,
  step: 0,
  phase: 'sft',
  stage: 0,
  activeMs: 0,
  lastCheckpointStep: null,
  ...extra,
});

const row = (step: number, extra: Partial<MetricsRow> = {}): MetricsRow => ({
  step,
  phase: 'grpo',
  stage: 1,
  loss: step / 10,
  learning_rate: 1e-3,
  grad_norm: 1,
  num_tokens: 100,
  step_time: 0.5,
  tokens_per_s: 200,
  entropy: 1,
  ...extra,
});

const rollout = (step: number, group: number, index: number, difficulty: Difficulty): RolloutRecord => ({
  step,
  question_id: `q${group}`,
  difficulty,
  group,
  index,
  prompt: 'p',
  completion: `<think>x</think><answer>A</answer> ${step}/${group}/${index}`,
  reward: index % 2,
  correctness: index % 2,
  format: 1,
  advantage: index % 2 ? 0.5 : -0.5,
  truncated: false,
});

describe('run store (IndexedDB)', () => {
  it('upgrades a v3 database without losing its trajectories and adds the run stores', async () => {
    const name = freshName();
    const v3 = await openDB(name, 3, {
      upgrade(db) {
        db.createObjectStore('graphs', { keyPath: 'id' });
        db.createObjectStore('graphData', { keyPath: 'id' });
        db.createObjectStore('settings');
        db.createObjectStore('questions', { keyPath: 'id' });
        db.createObjectStore('trajectories', { keyPath: 'id' }).createIndex('questionId', 'questionId');
      },
    });
    await v3.put('trajectories', { id: 't1', questionId: 'q1' });
    v3.close();
    const db = await openWorkbenchDb(name);
    expect(await db.get('trajectories', 't1')).toMatchObject({ questionId: 'q1' });
    for (const s of ['runs', 'runData', 'metrics', 'rollouts', 'events', 'checkpoints', 'checkpointTensors'] as const) expect(db.objectStoreNames.contains(s)).toBe(true);
    db.close();
  });

  it('streams rows, rollouts and events with the run progress, reads them back in step order, and replaces a re-run step', async () => {
    const db = await openWorkbenchDb(freshName());
    await putRun(db, run('a'));
    await putRun(db, run('b'));
    // out of order across batches, with step 10 before step 9 and a second run interleaved
    await appendStream(db, 'a', { metrics: [row(1), row(2)], run: { step: 2, phase: 'grpo', stage: 1 } });
    await appendStream(db, 'b', { metrics: [row(1, { loss: 99 })] });
    await appendStream(db, 'a', { metrics: [row(10), row(9)], events: [{ step: 9, kind: 'plateau', reason: 'flat', values: { slope: 0.0001 } }] });
    await appendStream(db, 'a', { metrics: [row(2, { loss: 7 })], events: [{ step: 10, kind: 'stage2_start', reason: 'after plateau', values: {} }] });
    const rows = await readMetrics(db, 'a');
    expect(rows.map((r) => r.step)).toEqual([1, 2, 9, 10]);
    expect(rows[1]!.loss).toBe(7);
    expect((await readMetrics(db, 'b')).map((r) => r.loss)).toEqual([99]);
    const events = await readEvents(db, 'a');
    expect(events.map((e) => [e.seq, e.kind])).toEqual([
      [0, 'plateau'],
      [1, 'stage2_start'],
    ]);
    expect((await listRuns(db)).find((r) => r.id === 'a')).toMatchObject({ step: 2, phase: 'grpo', stage: 1 });

    // truncating after step 2 (a resume from the checkpoint at 2) drops later rows and events only
    await truncateAfter(db, 'a', 2);
    expect((await readMetrics(db, 'a')).map((r) => r.step)).toEqual([1, 2]);
    expect(await readEvents(db, 'a')).toEqual([]);
    expect((await readMetrics(db, 'b')).length).toBe(1);
    db.close();
  });

  it('finds the latest group per tier, and the rollouts of one step', async () => {
    const db = await openWorkbenchDb(freshName());
    await putRun(db, run('r'));
    const rs: RolloutRecord[] = [];
    // step 1: easy (group 0) + difficult (group 1); step 2: easy (0) + moderate (1); step 3: moderate
    for (const [step, group, tier] of [
      [1, 0, 'easy'],
      [1, 1, 'difficult'],
      [2, 0, 'easy'],
      [2, 1, 'moderate'],
      [3, 0, 'moderate'],
    ] as const)
      for (let i = 0; i < 4; i++) rs.push(rollout(step, group, i, tier));
    await appendStream(db, 'r', { rollouts: rs });
    const latest = await latestGroupsPerTier(db, 'r');
    expect(latest.easy!.map((r) => `${r.step}/${r.group}/${r.index}`)).toEqual(['2/0/0', '2/0/1', '2/0/2', '2/0/3']);
    expect(latest.moderate!.map((r) => r.step)).toEqual([3, 3, 3, 3]);
    expect(latest.difficult!.map((r) => `${r.step}/${r.group}`)).toEqual(['1/1', '1/1', '1/1', '1/1']);
    expect((await readRolloutsAt(db, 'r', 2)).length).toBe(8);
    db.close();
  });

  it('keeps every step’s rollouts for the recent window and every k-th step further back, whatever the steps between rollouts', async () => {
    const keep = { recent: 20, every: 5 };
    expect(thinnedRanges(1, 20, keep)).toEqual([]);
    expect(thinnedRanges(21, 21, keep)).toEqual([[1, 1]]);
    expect(thinnedRanges(40, 44, keep)).toEqual([[16, 19], [21, 24]]);
    for (const stride of [1, 3]) {
      const db = await openWorkbenchDb(freshName());
      await putRun(db, run('t'));
      // one batch per rollout step (stride 3: rollouts only every 3rd step, as with num_iterations = 3); some batches hold two steps
      const steps = Array.from({ length: 40 }, (_, i) => 1 + i * stride).filter((x) => x <= 100);
      for (let i = 0; i < steps.length; i += i % 4 === 0 ? 2 : 1) {
        const batch = steps.slice(i, i % 4 === 0 ? i + 2 : i + 1);
        await appendStream(db, 't', { rollouts: batch.map((st) => rollout(st, 0, 0, 'easy')), retention: keep });
      }
      const kept = [...new Set((await db.getAll('rollouts')).map((r) => r.step))].sort((a, b) => a - b);
      const last = steps.at(-1)!;
      expect(kept).toEqual(steps.filter((x) => x > last - keep.recent || x % keep.every === 0));
      db.close();
    }
  });

  it('writes a checkpoint with its tensors in one transaction, prunes old periodic ones, keeps stage ends', async () => {
    const db = await openWorkbenchDb(freshName());
    await putRun(db, run('c'));
    const tensors = (k: number) =>
      new Map([
        ['weights/model.embed_tokens.weight', Float32Array.from({ length: 40 }, (_, i) => i * k)],
        ['adam_m/model.embed_tokens.weight', new Float32Array(40).fill(k)],
        // a view into a larger buffer stores only its own bytes
        ['weights/model.norm.weight', new Float32Array(new Float32Array([9, 1, 2, 3, 4, 9]).buffer, 4, 4)],
      ]);
    await putCheckpoint(db, { runId: 'c', step: 0, label: 'base', phase: 'sft', stage: 0, state: { rng: 1 } }, tensors(0));
    for (const step of [5, 10, 15, 20]) await putCheckpoint(db, { runId: 'c', step, label: step === 10 ? 'sft' : 'periodic', phase: 'grpo', stage: 1, state: { step } }, tensors(step), { keepPeriodic: 2 });
    const metas = await listCheckpoints(db, 'c');
    expect(metas.map((m) => `${m.step}:${m.label}`)).toEqual(['0:base', '10:sft', '15:periodic', '20:periodic']);
    expect((await latestCheckpoint(db, 'c'))!.step).toBe(20);
    expect((await listRuns(db))[0]!.lastCheckpointStep).toBe(20);
    const ck = await readCheckpoint(db, 'c', 15);
    expect(ck.meta.state).toEqual({ step: 15 });
    expect([...ck.tensors.get('weights/model.embed_tokens.weight')!].slice(0, 3)).toEqual([0, 15, 30]);
    expect([...ck.tensors.get('weights/model.norm.weight')!]).toEqual([1, 2, 3, 4]);
    expect(ck.meta.bytes).toBe(40 * 4 * 2 + 16);
    // the pruned checkpoint's tensors are gone too
    expect(await db.count('checkpointTensors', IDBKeyRange.bound(['c', 5], ['c', 5, []]))).toBe(0);
    db.close();
  });

  it('a checkpoint whose write fails leaves the earlier checkpoints and rows intact and nothing half-written', async () => {
    const db = await openWorkbenchDb(freshName());
    await putRun(db, run('f'));
    await appendStream(db, 'f', { metrics: [row(1), row(2)] });
    await putCheckpoint(db, { runId: 'f', step: 2, label: 'periodic', phase: 'grpo', stage: 1, state: {} }, new Map([['w', new Float32Array([1, 2])]]));
    // a detached buffer cannot be cloned: the put fails mid-transaction, as a full disk would
    const bad = new Float32Array(4);
    structuredClone(bad.buffer, { transfer: [bad.buffer] });
    await expect(
      putCheckpoint(db, { runId: 'f', step: 4, label: 'periodic', phase: 'grpo', stage: 1, state: {} }, new Map([['ok', new Float32Array([5])], ['bad', bad]]), { keepPeriodic: 1 }),
    ).rejects.toThrow(/Could not save the checkpoint at step 4/);
    expect((await listCheckpoints(db, 'f')).map((c) => c.step)).toEqual([2]);
    expect([...(await readCheckpoint(db, 'f', 2)).tensors.get('w')!]).toEqual([1, 2]);
    expect(await db.count('checkpointTensors')).toBe(1);
    expect((await readMetrics(db, 'f')).length).toBe(2);
    expect((await listRuns(db))[0]!.lastCheckpointStep).toBe(2);
    db.close();
  });

  it('marks runs left running as interrupted unless a live worker holds them, and deletes a run whole', async () => {
    const db = await openWorkbenchDb(freshName());
    const q = { id: 'q1', question: 'e0 r1 ?', options: { A: 'a', B: 'b' }, answer_idx: 'A', answer: 'a', difficulty: 'easy' as const, type: 't', source: 'synthetic', status: 'accepted' as const };
    await createRun(db, run('x'), { train: [q], sft: [{ id: 'q1', completion: '<think>e0 r1 a</think><answer>a</answer>' }], heldout: [], heldoutImported: [], addedTokens: ['e0'], promptStyle: 'plain' });
    expect((await getRunData(db, 'x')).train[0]!.question).toBe('e0 r1 ?');
    await putRun(db, run('y'));
    await putRun(db, run('z', { status: 'completed' }));
    await putRun(db, run('p', { status: 'paused' }));
    expect((await markInterrupted(db, new Set(['y']))).sort()).toEqual(['p', 'x']);
    const byId = new Map((await listRuns(db)).map((r) => [r.id, r.status]));
    expect(Object.fromEntries(byId)).toEqual({ x: 'interrupted', y: 'running', z: 'completed', p: 'interrupted' });
    await updateRun(db, 'x', { status: 'paused' });
    await appendStream(db, 'x', { metrics: [row(1)], rollouts: [rollout(1, 0, 0, 'easy')], events: [{ step: 1, kind: 'sft_end', reason: '', values: {} }] });
    await putCheckpoint(db, { runId: 'x', step: 1, label: 'sft', phase: 'sft', stage: 0, state: {} }, new Map([['w', new Float32Array(3)]]));
    await appendStream(db, 'y', { metrics: [row(1)] });
    await deleteRun(db, 'x');
    expect((await listRuns(db)).map((r) => r.id).sort()).toEqual(['p', 'y', 'z']);
    for (const s of ['metrics', 'rollouts', 'events', 'checkpoints', 'checkpointTensors'] as const) expect(await db.count(s, IDBKeyRange.bound(['x'], ['x', []]))).toBe(0);
    await expect(getRunData(db, 'x')).rejects.toThrow(/data of run x is not stored/);
    expect((await readMetrics(db, 'y')).length).toBe(1);
    db.close();
  });
});
