import { parquetReadObjects, parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../record';
import { datasetCard } from './dataset-card';
import { toMedqaJsonl, toTrlChatJsonl } from './formats';
import { toVerlParquet } from './verl-parquet';

const rec = (i: number, over: Partial<QuestionRecord> = {}): QuestionRecord => ({
  id: `syn-${i}`,
  question: `Question ${i}, with "quotes" and ünïcode?`,
  options: { A: `alpha ${i}`, B: `beta ${i}`, C: `gamma ${i}` },
  answer_idx: 'B',
  answer: `beta ${i}`,
  difficulty: (['easy', 'moderate', 'difficult'] as const)[i % 3]!,
  type: 'diagnosis',
  source: 'synthetic',
  status: 'accepted',
  ...over,
});

describe('exports', () => {
  const records = [rec(0), rec(1), rec(2, { source: 'medqa', type: 'exam', options: { A: 'a', B: 'b', C: 'c', D: 'd', E: 'e' }, answer_idx: 'E', answer: 'e' })];

  it('MedQA JSONL keeps the MedQA keys and letters', () => {
    const lines = toMedqaJsonl(records).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(Object.keys(lines[0])).toEqual(['question', 'answer', 'options', 'meta_info', 'answer_idx', 'id', 'difficulty']);
    expect(lines[2]).toMatchObject({ answer_idx: 'E', answer: 'e', meta_info: 'medqa/exam' });
  });

  it('TRL chat JSONL: prompt messages asking for <think>/<answer>, answer letter and difficulty', () => {
    const lines = toTrlChatJsonl(records).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[1].prompt.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(lines[1].prompt[0].content).toMatch(/<think>.*<answer>/s);
    expect(lines[1].prompt[1].content).toContain('Question 1, with "quotes"');
    expect(lines[1].prompt[1].content).toContain('B. beta 1');
    expect(lines[1].prompt[1].content).toMatch(/<think>…<\/think><answer>LETTER<\/answer>/);
    expect(lines[1]).toMatchObject({ answer: 'B', difficulty: 'moderate' });
  });

  it('verl parquet reads back with the verl columns, nested prompt and reward_model', async () => {
    const buf = toVerlParquet(records);
    const meta = parquetMetadata(buf);
    expect(Number(meta.num_rows)).toBe(3);
    const rows = (await parquetReadObjects({ file: buf })) as Record<string, any>[];
    expect(Object.keys(rows[0]!)).toEqual(['data_source', 'prompt', 'ability', 'reward_model', 'extra_info']);
    expect(rows[0]!.data_source).toBe('fleming/synthetic');
    expect(rows[2]!.data_source).toBe('fleming/medqa');
    expect(rows[1]!.prompt).toHaveLength(2);
    expect(rows[1]!.prompt[1].content).toContain('ünïcode');
    expect(rows[2]!.reward_model).toEqual({ style: 'rule', ground_truth: 'E' });
    expect(rows[2]!.extra_info).toMatchObject({ split: 'train', id: 'syn-2', difficulty: 'difficult', answer_text: 'e' });
    expect(Number(rows[2]!.extra_info.index)).toBe(2);
  });

  it('dataset card counts tiers, types and sources and credits the graph', () => {
    const card = datasetCard({ title: 'Test set', records, graphDatasets: [{ id: 'h', name: 'Hetionet v1.0', licence: 'CC0 1.0', attribution: 'Himmelstein et al. 2017' }] });
    expect(card).toMatch(/^# Test set/);
    expect(card).toContain('3 multiple-choice questions');
    expect(card).toContain('| easy | 1 |');
    expect(card).toContain('| synthetic | 2 |');
    expect(card).toContain('| medqa | 1 |');
    expect(card).toContain('Hetionet v1.0 (CC0 1.0): Himmelstein et al. 2017');
  });
});
