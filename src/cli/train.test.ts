/**
 * The train / logits / eval CLIs on the CPU model with a toy question set: the train CLI writes
 * its streams and a Hugging Face checkpoint folder; that folder loads back (H2's loader) and gives
 * the same logits as the trainer's own final weights; `npm run logits` and `npm run eval` read it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCheckpointFolder } from '../training/hf/checkpoint';
import { readCheckpointDir } from '../training/hf/node-fs';
import { createCpuModel } from '../training/model/cpu-model';
import { checkpointFromBytes, unprefixed, W } from '../training/run/checkpoint';
import { toyTask } from '../training/run/testing/toy-task';
import { main as evalMain } from './eval';
import { main as logitsMain } from './logits';
import { main as trainMain } from './train';

afterEach(() => vi.restoreAllMocks());

describe('npm run train / logits / eval (CPU model)', () => {
  it('trains, writes streams and an HF folder that loads back with the same logits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-cli-'));
    const toy = toyTask();
    const q = join(dir, 'q.jsonl');
    const t = join(dir, 't.jsonl');
    writeFileSync(q, toy.questions.map((x) => JSON.stringify(x)).join('\n') + '\n');
    // one line in each trajectory format: npm run cot records and SFT export lines
    writeFileSync(
      t,
      toy.pairs
        .map((p, i) =>
          JSON.stringify(i % 2 ? { question_id: p.question.id, trajectories: [{ text: p.completion, teacher: 'kg', round: 0, checks: {}, selected: true }] } : { id: p.question.id, prompt: [], completion: [{ role: 'assistant', content: p.completion }] }),
        )
        .join('\n') + '\n',
    );
    const out = join(dir, 'out');
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ sft: { per_device_train_batch_size: 8, learning_rate: 3e-3 }, grpo: { prompts_per_step: 2, num_generations: 3, max_completion_length: 16 }, curriculum: { stage1_max_steps: 1, mine_samples: 1, stage2_num_generations: 4 }, checkpoint_every: 0 }));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const code = await trainMain(['--preset', 'micro', '--questions', q, '--trajectories', t, '--sft-steps', '4', '--grpo-steps', '2', '--seed', '5', '--out', out, '--config', cfg, '--vocab-size', '320', '--cpu']);
    expect(code).toBe(0);
    const summary = JSON.parse(log.mock.calls.at(-1)![0] as string);
    expect(summary).toMatchObject({ status: 'completed', step: 6 });

    const lines = (f: string) => readFileSync(join(out, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const metrics = lines('metrics.jsonl');
    expect(metrics.map((r) => [r.step, r.phase])).toEqual([[1, 'sft'], [2, 'sft'], [3, 'sft'], [4, 'sft'], [5, 'grpo'], [6, 'grpo']]);
    expect(lines('events.jsonl').map((e) => e.kind)).toEqual(['sft_end', 'stage1_start', 'plateau', 'stage2_start', 'run_end']);
    expect(lines('rollouts.jsonl').length).toBe(2 * 3 + 2 * 4);

    // the HF folder: loads with the checkpoint loader, same weights and logits as the trainer's last state
    const folder = await loadCheckpointFolder(readCheckpointDir(join(out, 'checkpoint')));
    expect([...readCheckpointDir(join(out, 'checkpoint')).keys()].sort()).toEqual(['config.json', 'generation_config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    const raw = readFileSync(join(out, 'run-checkpoint.safetensors'));
    const state = await checkpointFromBytes(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
    expect(state.step).toBe(6);
    const text = toy.questions[0]!.question;
    const ids = folder.tokenizer.encode(text);
    const a = await createCpuModel(folder.config, folder.weights).logits(Int32Array.from(ids), 1, ids.length);
    const b = await createCpuModel(state.state.model_config, unprefixed(state.tensors, W)).logits(Int32Array.from(ids), 1, ids.length);
    expect(Array.from(a)).toEqual(Array.from(b));

    // npm run logits on the folder gives the same rows
    const lf = join(dir, 'logits.json');
    expect(await logitsMain(['--checkpoint', join(out, 'checkpoint'), '--text', text, '--out', lf, '--cpu'])).toBe(0);
    const got = JSON.parse(readFileSync(lf, 'utf8'));
    expect(got.ids).toEqual(ids);
    expect(got.logits).toHaveLength(ids.length);
    expect(got.logits[0]).toHaveLength(folder.config.vocab_size);
    expect(Math.max(...got.logits.flat().map((x: number, i: number) => Math.abs(x - a[i]!)))).toBeLessThan(1e-6);

    // npm run eval prints the contract's fields
    log.mockClear();
    expect(await evalMain(['--checkpoint', join(out, 'checkpoint'), '--questions', q, '--cpu', '--max-new-tokens', '16'])).toBe(0);
    const ev = JSON.parse(log.mock.calls.at(-1)![0] as string);
    expect(Object.keys(ev).slice(0, 4)).toEqual(['accuracy', 'perDifficulty', 'formatRate', 'n']);
    expect(ev.n).toBe(toy.questions.length);
    expect(Object.keys(ev.perDifficulty).sort()).toEqual(['difficult', 'easy', 'moderate']);
  });

  it('names the bad line of a trajectory file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-cli-'));
    const toy = toyTask();
    const q = join(dir, 'q.jsonl');
    const t = join(dir, 't.jsonl');
    writeFileSync(q, toy.questions.map((x) => JSON.stringify(x)).join('\n') + '\n');
    writeFileSync(t, `${JSON.stringify({ question_id: toy.questions[0]!.id, trajectories: [] })}\n${JSON.stringify({ question_id: 'nope', trajectories: [] })}\n`);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(trainMain(['--questions', q, '--trajectories', t, '--out', join(dir, 'o'), '--cpu'])).rejects.toThrow(`${t}:2: question "nope" is not in the questions file`);
  });
});
