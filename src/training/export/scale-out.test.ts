import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../../synthesis/record';
import { DEFAULT_CURRICULUM, DEFAULT_GRPO, DEFAULT_SFT } from '../rl/defaults';
import { plainPrompt } from '../task/prompt';
import { scoreCompletion } from '../task/reward';
import { scaleOutBundle, type BundleFile } from './scale-out';

const PY = '/usr/bin/python3';

const rec = (id: string, options: Record<string, string>, answer_idx: string, over: Partial<QuestionRecord> = {}): QuestionRecord => ({
  id,
  question: `${id}: which one?`,
  options,
  answer_idx,
  answer: options[answer_idx]!,
  difficulty: 'moderate',
  type: 'chain-3hop',
  source: 'kg-closed-book',
  status: 'accepted',
  ...over,
});

const OPTION_SETS: Array<[Record<string, string>, string]> = [
  [{ A: 'asthma', B: 'Chronic obstructive pulmonary disease', C: 'type 2 diabetes mellitus.', D: 'Crohn’s disease' }, 'B'],
  [{ A: 'ΟΔΟΣ', B: 'İstanbul fever', C: 'B', D: 'vitamin B12 deficiency' }, 'D'],
  [{ A: 'x', B: 'X', C: 'liver', D: 'skin\u00a0disease', E: 'brain' }, 'E'],
];

const ANSWERS = [
  'B', '(b)', 'B.', 'b)', 'D:', 'E', 'J', '  c  ', '**B**', '"asthma".', 'ASTHMA', 'chronic  obstructive\npulmonary disease', 'B. Chronic obstructive pulmonary disease',
  'A. Chronic obstructive pulmonary disease', '(D) vitamin b12 deficiency', 'type 2 diabetes mellitus', 'Crohn’s disease', 'crohn\'s disease', 'οδος', 'ΟΔΟΣ.', 'i̇stanbul fever',
  'x', 'liver', 'skin disease', 'skin\u00a0disease', 'brain\u2028', 'b.\u2028liver', '', '   ', 'none of these', '`skin disease`', 'e) brain', 'E: brain',
];

const WRAPS: Array<(a: string) => string> = [
  (a) => `<think>reasoning</think><answer>${a}</answer>`,
  (a) => `\n <think>a\nb</think>\n\t<answer>${a}</answer>\n<|eos|>`,
  (a) => `<think>x</think><answer>${a}</answer> <|im_end|>\n<|endoftext|>`,
  (a) => `<think>x</think><answer>${a}</answer>junk`,
  (a) => `<think>x</think><answer>A</answer> then <answer>${a}</answer>`,
  (a) => `${a}`,
  (a) => `<think> </think><answer>${a}</answer>`,
  (a) => `<answer>${a}</answer><think>x</think>`,
  (a) => `<think>x</think>so<answer>${a}</answer>`,
  (a) => `<think>x<think>y</think><answer>${a}</answer></s>`,
  (a) => `<think>x</think><answer>${a}`,
];

interface Case {
  completion: string;
  options: Record<string, string>;
  answer: string;
}

const cases: Case[] = [];
for (const [options, answer] of OPTION_SETS) for (const a of ANSWERS) for (const w of WRAPS) cases.push({ completion: w(a), options, answer });

let dir: string;
let files: Map<string, BundleFile['content']>;
const write = (d: string, fs: BundleFile[]) => {
  for (const f of fs) {
    mkdirSync(dirname(join(d, f.path)), { recursive: true });
    writeFileSync(join(d, f.path), f.content);
  }
};

const records = [rec('q1', OPTION_SETS[0]![0], 'B', { context: ['asthma is a lung disease.'] }), rec('q2', OPTION_SETS[1]![0], 'D', { difficulty: 'difficult' })];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scale-out-'));
  const bundle = scaleOutBundle({
    train: records,
    heldout: [records[1]!],
    sft: [{ question: records[0]!, completion: '<think>x</think><answer>B</answer>' }],
    grpo: { ...DEFAULT_GRPO, reward_weights: [1, 0.5], loss_type: 'paper' },
    sftSettings: DEFAULT_SFT,
    curriculum: DEFAULT_CURRICULUM,
    style: 'chat',
    model: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    seed: 3,
  });
  write(dir, bundle);
  files = new Map(bundle.map((f) => [f.path, f.content]));
});

describe('scale-out bundle', () => {
  it('holds the dataset, the reward file, the TRL and verl configs and a README', () => {
    expect([...files.keys()]).toEqual([
      'README.md',
      'data/heldout.jsonl',
      'data/heldout.parquet',
      'data/sft.jsonl',
      'data/train.jsonl',
      'data/train.parquet',
      'grpo_config.json',
      'recipe.json',
      'reward.py',
      'sft_config.json',
      'train_grpo.py',
      'verl_grpo.yaml',
    ]);
    const cfg = JSON.parse(files.get('grpo_config.json') as string);
    expect(cfg).toMatchObject({ num_generations: 8, per_device_train_batch_size: 64, loss_type: 'dr_grpo', scale_rewards: 'group', beta: 0, reward_weights: [1, 0.5], mask_truncated_completions: true, seed: 3 });
    expect(JSON.parse(files.get('recipe.json') as string).curriculum).toEqual(DEFAULT_CURRICULUM);
    expect(files.get('verl_grpo.yaml')).toMatch(/name: compute_score/);
    const train = (files.get('data/train.jsonl') as string).trim().split('\n').map((l) => JSON.parse(l));
    expect(train[0]).toMatchObject({ answer: 'B', options: OPTION_SETS[0]![0], difficulty: 'moderate' });
    expect(train[0].prompt[1].content).toMatch(/^Facts:\n- asthma is a lung disease\.\n\nq1: which one\?/);
    const sft = JSON.parse((files.get('data/sft.jsonl') as string).trim());
    expect(sft.completion).toEqual([{ role: 'assistant', content: '<think>x</think><answer>B</answer>' }]);
  });

  it('writes verl parquet that reads back', async () => {
    const buf = (files.get('data/heldout.parquet') as Uint8Array).slice().buffer;
    const rows = (await parquetReadObjects({ file: buf })) as Record<string, any>[];
    expect(rows[0]!.reward_model).toEqual({ style: 'rule', ground_truth: 'D' });
    expect(rows[0]!.extra_info.split).toBe('test');
  });

  it('plain style writes prompt strings exactly as the app shows them', () => {
    const b = scaleOutBundle({ train: records, grpo: DEFAULT_GRPO, curriculum: DEFAULT_CURRICULUM, style: 'plain', model: './checkpoint', seed: 1 });
    const row = JSON.parse((b.find((f) => f.path === 'data/train.jsonl')!.content as string).split('\n')[0]!);
    expect(row.prompt).toBe(plainPrompt(records[0]!));
    expect(b.some((f) => f.path === 'sft_config.json')).toBe(false);
  });

  it(`reward.py gives the app's rewards for every one of ${cases.length} varied completions`, () => {
    const input = join(dir, 'cases.jsonl');
    writeFileSync(input, cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
    const r = spawnSync(PY, [join(dir, 'reward.py'), input], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const got = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(got.length).toBe(cases.length);
    let formatted = 0;
    let correct = 0;
    cases.forEach((c, i) => {
      const ts = scoreCompletion(c.completion, { options: c.options, answer_idx: c.answer }, [1, 0.5]);
      expect(got[i], JSON.stringify(c)).toEqual({ correctness: ts.correctness, format: ts.format, reward: ts.reward, chosen: ts.chosen });
      formatted += ts.format;
      correct += ts.correctness;
    });
    // the cases exercise both outcomes of both rewards
    expect(formatted).toBeGreaterThan(50);
    expect(formatted).toBeLessThan(cases.length - 50);
    expect(correct).toBeGreaterThan(20);
  });

  it('the TRL reward functions take plain and conversational completions and the dataset columns', () => {
    const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(dir)})
from reward import correctness_reward, format_reward, compute_score
opts = {"A": "asthma", "B": "liver", "C": "skin", "D": None}
plain = ["<think>x</think><answer>liver</answer>", "<think>x</think><answer>C</answer>junk", "<answer>b</answer>"]
conv = [[{"role": "assistant", "content": c}] for c in plain]
print(json.dumps([
  correctness_reward(plain, answer=["B"] * 3, options=[opts] * 3, answer_text=["liver"] * 3, prompts=["p"] * 3),
  correctness_reward(conv, answer=["B"] * 3, options=[json.dumps(opts)] * 3),
  correctness_reward(plain, answer=["B"] * 3, answer_text=["liver"] * 3),
  format_reward(conv, answer=["B"] * 3),
  compute_score("fleming/synthetic", plain[0], "B", {"options": opts}),
  compute_score("fleming/synthetic", plain[1], "B", {"answer_text": "liver"}),
]))`;
    const r = spawnSync(PY, ['-c', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([[1, 0, 1], [1, 0, 1], [1, 0, 1], [1, 0, 0], 1.5, 0]);
  });

  it('train_grpo.py is valid Python (syntax only: TRL is not installed here)', () => {
    const r = spawnSync(PY, ['-c', `import ast, sys; ast.parse(open(${JSON.stringify(join(dir, 'train_grpo.py'))}).read())`], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
});
