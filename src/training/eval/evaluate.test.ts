import { describe, expect, it } from 'vitest';
import type { Difficulty, QuestionRecord } from '../../synthesis/record';
import { createCpuModel } from '../model/cpu-model';
import { presetConfig } from '../model/config';
import { plainPrompt } from '../task/prompt';
import { ablationCsv, ablationMarkdown, ablationRows } from './ablation';
import { evalSummary, evaluate } from './evaluate';
import { meanPassAtK, passAtK } from './pass-at-k';
import { asCausalLM, charTokenizer, ScriptedModel, type Script } from './test-fakes';

const q = (id: string, difficulty: Difficulty, type = 'chain-2hop', source = 'kg-closed-book'): QuestionRecord => ({
  id,
  question: `${id} is_a ?`,
  options: { A: 'brain', B: 'liver', C: 'skin', D: 'heart' },
  answer_idx: 'B',
  answer: 'liver',
  difficulty,
  type,
  source,
  status: 'accepted',
});

const ok = (a: string) => `<think>x is_a ${a}</think><answer>${a}</answer>`;

describe('evaluate', () => {
  const records = [q('q1', 'easy'), q('q2', 'easy'), q('q3', 'moderate'), q('q4', 'difficult', 'exam', 'medqa'), q('q5', 'difficult')];
  const script: Record<string, Script> = {
    q1: { greedy: ok('liver') }, // right by name
    q2: { greedy: ok('B') }, // right by letter
    q3: { greedy: ok('skin') }, // wrong, well formed
    q4: { greedy: 'liver <answer>liver</answer>' }, // right, broken format
    q5: { greedy: '<think>' + 'x '.repeat(100) }, // runs out of tokens
  };
  const model = () => new ScriptedModel((p) => script[p.split(' ')[0]!]!);

  it('scores greedy completions: accuracy, format rate, per tier, type and source', async () => {
    const r = await evaluate(asCausalLM(model()), charTokenizer, records, { maxNewTokens: 60 });
    expect(evalSummary(r)).toEqual({
      accuracy: 3 / 5,
      perDifficulty: { easy: { accuracy: 1, n: 2 }, moderate: { accuracy: 0, n: 1 }, difficult: { accuracy: 0.5, n: 2 } },
      formatRate: 3 / 5,
      n: 5,
      perType: { 'chain-2hop': { accuracy: 0.5, n: 4 }, exam: { accuracy: 1, n: 1 } },
      perSource: { 'kg-closed-book': { accuracy: 0.5, n: 4 }, medqa: { accuracy: 1, n: 1 } },
      tooLong: 0,
    });
    expect(Object.keys(evalSummary(r)).slice(0, 4)).toEqual(['accuracy', 'perDifficulty', 'formatRate', 'n']);
  });

  it('feeds plain prompts (BOS + text) greedily, batched, and keeps item order', async () => {
    const m = model();
    const r = await evaluate(asCausalLM(m), charTokenizer, records, { batchSize: 2, maxNewTokens: 60, keepItems: true });
    expect(m.calls.map((c) => c.rows)).toEqual([2, 2, 1]);
    expect(m.calls.every((c) => c.opts.temperature === 0 && c.opts.max_new_tokens === 60 && c.opts.stop_ids[0] === charTokenizer.specials.eos)).toBe(true);
    expect(r.items!.map((i) => i.id)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
    expect(r.items![0]).toMatchObject({ completion: ok('liver'), chosen: 'B', correct: 1, format: 1, truncated: false });
    expect(r.items![4]).toMatchObject({ correct: 0, format: 0, truncated: true });
    // a custom prompt (chat bases pass their rendered template)
    const seen: string[] = [];
    await evaluate(
      asCausalLM(new ScriptedModel((p) => (seen.push(p), { greedy: ok('liver') }))),
      charTokenizer,
      records.slice(0, 1),
      { promptIds: (x, tok) => [tok.specials.bos, ...tok.encode(`CHAT ${plainPrompt(x)}`)] },
    );
    expect(seen[0]).toBe(`CHAT ${plainPrompt(records[0]!)}`);
  });

  it('counts prompts longer than the context as wrong and unformatted', async () => {
    const long = { ...q('q6', 'easy'), question: 'q6 ' + 'word '.repeat(60) };
    const m = new ScriptedModel(() => ({ greedy: ok('liver') }), 200);
    const r = await evaluate(asCausalLM(m), charTokenizer, [q('q1', 'easy'), long], { maxNewTokens: 60 });
    expect(r.tooLong).toBe(1);
    expect(r.accuracy).toBe(0.5);
    expect(r.n).toBe(2);
    // the batch's room shrinks to fit the context
    expect(m.calls[0]!.opts.max_new_tokens).toBe(60);
  });

  it('estimates pass@k from sampled completions with the unbiased estimator', async () => {
    const s: Record<string, Script> = {
      q1: { greedy: ok('skin'), samples: [ok('liver'), ok('skin'), ok('skin'), ok('liver')] }, // 2 of 4
      q2: { greedy: ok('skin'), samples: [ok('skin')] }, // 0 of 4
      q3: { greedy: ok('liver'), samples: [ok('liver')] }, // 4 of 4
    };
    const m = new ScriptedModel((p) => s[p.split(' ')[0]!]!);
    const r = await evaluate(asCausalLM(m), charTokenizer, records.slice(0, 3), { batchSize: 5, passAtK: { n: 4, ks: [1, 2, 4], temperature: 1, top_p: 1, seed: 3 }, keepItems: true });
    expect(r.items!.map((i) => i.sampledCorrect)).toEqual([2, 0, 4]);
    expect(r.passAtK!.values['pass@1']).toBeCloseTo((0.5 + 0 + 1) / 3, 12);
    expect(r.passAtK!.values['pass@2']).toBeCloseTo((1 - 1 / 6 + 0 + 1) / 3, 12);
    expect(r.passAtK!.values['pass@4']).toBeCloseTo(2 / 3, 12);
    expect(m.calls.filter((c) => c.opts.temperature === 1).reduce((a, c) => a + c.rows, 0)).toBe(12);
    await expect(evaluate(asCausalLM(m), charTokenizer, records, { passAtK: { n: 2, ks: [3], temperature: 1, top_p: 1, seed: 1 } })).rejects.toThrow(/k must be an integer from 1 to n \(2\)/);
  });

  it('runs on the CPU reference model: greedy decoding is deterministic', async () => {
    const vocab = 200;
    const tok = { ...charTokenizer, vocabSize: vocab, encode: (t: string) => [...t].map((c) => (c.charCodeAt(0) % (vocab - 3)) + 3) };
    const model = createCpuModel({ ...presetConfig('micro', vocab), max_position_embeddings: 128 }, { seed: 5 });
    const a = await evaluate(model, tok, records.slice(0, 2), { maxNewTokens: 8, keepItems: true });
    const b = await evaluate(model, tok, records.slice(0, 2), { maxNewTokens: 8, keepItems: true });
    expect(a.items!.map((i) => i.completion)).toEqual(b.items!.map((i) => i.completion));
    expect(a.n).toBe(2);
    // an untrained model writes no answer tag
    expect(a.formatRate).toBe(0);
  });
});

describe('pass@k estimator', () => {
  it('matches 1 − C(n−c, k)/C(n, k)', () => {
    expect(passAtK(5, 2, 1)).toBeCloseTo(0.4, 12);
    expect(passAtK(5, 2, 2)).toBeCloseTo(1 - 3 / 10, 12);
    expect(passAtK(5, 0, 3)).toBe(0);
    expect(passAtK(5, 3, 3)).toBe(1);
    expect(passAtK(200, 10, 50)).toBeGreaterThan(0.9);
    expect(meanPassAtK([0, 5], 5, 1)).toBe(0.5);
    expect(() => passAtK(3, 4, 1)).toThrow(/0 ≤ c ≤ n/);
  });
});

describe('ablation table', () => {
  const res = (acc: number, e: number, m: number, d: number) => ({ accuracy: acc, formatRate: 0.99, perDifficulty: { easy: { accuracy: e, n: 200 }, moderate: { accuracy: m, n: 200 }, difficult: { accuracy: d, n: 200 } } });
  const rows = ablationRows([
    { row: 'rl_stage2', checkpoint: 'ck/s2', result: res(0.7, 0.8, 0.7, 0.6) },
    { row: 'base', checkpoint: 'ck/base', result: res(0.25, 0.25, 0.25, 0.25) },
    { row: 'sft', checkpoint: 'ck/sft,1', result: res(0.5, 0.9, 0.4, 0.2) },
  ]);

  it('orders rows base → sft → rl_stage1 → rl_stage2 in the bench:train shape', () => {
    expect(rows.map((r) => r.row)).toEqual(['base', 'sft', 'rl_stage2']);
    expect(rows[0]).toEqual({ row: 'base', checkpoint: 'ck/base', heldout: res(0.25, 0.25, 0.25, 0.25) });
    expect(() => ablationRows([{ row: 'sft', checkpoint: 'a', result: res(0, 0, 0, 0) }, { row: 'sft', checkpoint: 'b', result: res(0, 0, 0, 0) }])).toThrow(/"sft" is given twice/);
  });

  it('renders CSV (quoted where needed) and a Table-4 style Markdown table', () => {
    const csv = ablationCsv(rows).trim().split('\n');
    expect(csv[0]).toBe('row,checkpoint,accuracy,format_rate,delta_accuracy,easy_accuracy,easy_n,moderate_accuracy,moderate_n,difficult_accuracy,difficult_n');
    expect(csv[2]).toBe('sft,"ck/sft,1",0.5,0.99,0.25,0.9,200,0.4,200,0.2,200');
    const md = ablationMarkdown(rows).trim().split('\n');
    expect(md[0]).toBe('| Variant | Easy (n=200) | Moderate (n=200) | Difficult (n=200) | Overall | Format | Δ Overall |');
    expect(md[2]).toBe('| Base | 25.0 | 25.0 | 25.0 | 25.0 | 99.0 | +0.0 |');
    expect(md[4]).toBe('| +RL stage 2 | 80.0 | 70.0 | 60.0 | 70.0 | 99.0 | +45.0 |');
  });
});
