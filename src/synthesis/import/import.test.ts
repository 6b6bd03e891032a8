import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importQa } from './index';

const sample = (f: string) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8');

describe('importers on the real samples', () => {
  it('MedQA JSONL: 20 items, answer letter and text agree, meta kept', () => {
    const r = importQa('medqa', sample('medqa-us-4opt-sample.jsonl'));
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.records).toHaveLength(20);
    const first = r.records[0]!;
    expect(first.answer_idx).toBe('B');
    expect(first.answer).toBe('Tell the attending that he cannot fail to disclose this mistake');
    expect(Object.keys(first.options)).toEqual(['A', 'B', 'C', 'D']);
    expect(first.source).toBe('medqa');
    expect(first.meta?.meta_info).toBe('step1');
    for (const q of r.records) expect(q.options[q.answer_idx]).toBe(q.answer);
  });

  it('PubMedQA (object keyed by PMID): yes/no/maybe items in file order, context in the stem', () => {
    const r = importQa('pubmedqa', sample('pubmedqa-pqal-sample.json'));
    expect(r.ok).toBe(true);
    expect(r.records).toHaveLength(20);
    const first = r.records[0]!;
    expect(first.id).toBe('pubmedqa-21645374');
    expect(first.options).toEqual({ A: 'yes', B: 'no', C: 'maybe' });
    expect(first.answer).toBe('yes');
    expect(first.question).toMatch(/^Context: Programmed cell death/);
    expect(first.question).toMatch(/Question: Do mitochondria play a role/);
    expect(r.records.filter((q) => q.answer === 'maybe').length).toBe(1);
  });

  it('MMLU CSV (no header): 5 items with the right letters', () => {
    const r = importQa('mmlu', sample('mmlu-anatomy-dev.csv'), { subject: 'anatomy' });
    expect(r.ok).toBe(true);
    expect(r.records.map((q) => q.answer_idx)).toEqual(['D', 'D', 'C', 'C', 'B']);
    expect(r.records[2]!.question).toBe('The pleura');
    expect(r.records[2]!.answer).toBe('extend into the neck.');
    expect(r.records[0]!.meta).toEqual({ subject: 'anatomy' });
  });
});

describe('MedQA: bad rows', () => {
  const good = (q: string, idx = 'A') => JSON.stringify({ question: q, options: { A: 'one', B: 'two', C: 'three' }, answer_idx: idx });
  const text = [
    good('First question?'),
    '{"question": "broken", "options": ',
    '',
    JSON.stringify({ question: 'No options?', answer_idx: 'A' }),
    good('Out of range?', 'E'),
    JSON.stringify({ question: 'Dupes?', options: { A: 'same', B: 'same ', C: 'x' }, answer_idx: 'A' }),
    JSON.stringify({ question: 'Mismatch?', options: { A: 'one', B: 'two', C: 'three' }, answer_idx: 'B', answer: 'three' }),
    JSON.stringify({ question: 'Gap?', options: { A: 'one', C: 'three' }, answer_idx: 'A' }),
    JSON.stringify({ question: 'Ten options fine?', options: Object.fromEntries('ABCDEFGHIJ'.split('').map((l) => [l, `option ${l}`])), answer_idx: 'J' }),
    JSON.stringify({ question: 'Case differs?', options: { A: 'same', B: 'Same', C: 'x' }, answer_idx: 'B' }),
    '[1, 2]',
  ].join('\n');

  it('reports each bad row by line and reason, and imports nothing without consent', () => {
    const r = importQa('medqa', text);
    expect(r.ok).toBe(false);
    expect(r.records).toEqual([]);
    expect(r.problems.map((p) => [p.line, p.reason])).toEqual([
      [2, 'invalid_json'],
      [4, 'missing_options'],
      [5, 'bad_answer'],
      [6, 'duplicate_options'],
      [7, 'answer_mismatch'],
      [8, 'missing_options'],
      [11, 'not_an_object'],
    ]);
    expect(r.problems.find((p) => p.line === 7)!.message).toMatch(/answer "three" is not option B \("two"\)/);
    expect(r.problems.find((p) => p.line === 6)!.message).toMatch(/options A and B have the same text \("same"\)/);
  });

  it('imports the good rows when the user agrees to skip the bad ones', () => {
    const r = importQa('medqa', text, { skipBad: true });
    expect(r.ok).toBe(true);
    expect(r.records.map((q) => q.question)).toEqual(['First question?', 'Ten options fine?', 'Case differs?']);
    expect(r.records[1]!.answer_idx).toBe('J');
    expect(r.records[2]!.answer).toBe('Same');
    expect(r.skipped).toEqual({ invalid_json: 1, missing_options: 2, bad_answer: 1, duplicate_options: 1, answer_mismatch: 1, not_an_object: 1 });
  });

  it('says so when a file has no rows at all', () => {
    const r = importQa('medqa', '\n\n');
    expect(r.ok).toBe(false);
    expect(r.problems[0]!.message).toMatch(/no medqa rows found/);
  });
});

describe('MedMCQA', () => {
  const row = (o: Record<string, unknown>) => JSON.stringify({ id: 'x1', question: 'Which vitamin?', opa: 'A1', opb: 'B2', opc: 'C3', opd: 'D4', cop: 2, choice_type: 'single', exp: 'because', subject_name: 'Biochemistry', topic_name: null, ...o });

  it('reads cop as 0-based by default and 1-based when asked', () => {
    expect(importQa('medmcqa', row({})).records[0]!).toMatchObject({ id: 'medmcqa-x1', answer_idx: 'C', answer: 'C3', source: 'medmcqa', meta: { exp: 'because', subject_name: 'Biochemistry' } });
    expect(importQa('medmcqa', row({}), { copBase: 1 }).records[0]!.answer_idx).toBe('B');
    expect(importQa('medmcqa', row({ cop: '3' })).records[0]!.answer_idx).toBe('D');
  });

  it('rejects a missing option, an out-of-range cop and a repeated id, by line', () => {
    const text = [row({}), row({ id: 'x2', opd: '' }), row({ id: 'x3', cop: 4 }), row({}), row({ id: 'x5', question: '' })].join('\n');
    const r = importQa('medmcqa', text);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.line, p.reason])).toEqual([
      [2, 'missing_options'],
      [3, 'bad_answer'],
      [4, 'duplicate_id'],
      [5, 'missing_question'],
    ]);
    expect(r.problems[0]!.message).toMatch(/option D is empty/);
  });
});

describe('PubMedQA', () => {
  it('reads the JSON-lines layout too and rejects an unknown decision', () => {
    const text = [
      JSON.stringify({ pubid: 1, question: 'Does X help?', context: { contexts: ['We studied X.'] }, long_answer: 'Yes.', final_decision: 'yes' }),
      JSON.stringify({ pubid: 2, question: 'Does Y help?', context: { contexts: ['We studied Y.'] }, final_decision: 'perhaps' }),
    ].join('\n');
    const r = importQa('pubmedqa', text, { skipBad: true });
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.question).toBe('Context: We studied X.\nQuestion: Does X help?');
    expect(r.problems).toEqual([{ line: 2, reason: 'bad_answer', message: 'final_decision "perhaps" is not yes, no or maybe' }]);
  });

  it('names the line of a bad entry in the keyed layout', () => {
    const text = '{\n  "11": {"QUESTION": "Q1?", "CONTEXTS": ["c"], "final_decision": "no"},\n  "12": {"QUESTION": "", "CONTEXTS": ["c"], "final_decision": "no"}\n}\n';
    const r = importQa('pubmedqa', text);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([{ line: 3, reason: 'missing_question', message: 'no question text' }]);
  });
});

describe('MMLU CSV', () => {
  it('handles quoted commas, quotes and line breaks, a header row, and more than 4 options', () => {
    const text = 'question,A,B,C,D,answer\n"Which, of these?","a, b","say ""hi""",c,d,B\n"Multi\nline?",w,x,y,z,v,E\n';
    const r = importQa('mmlu', text);
    expect(r.ok).toBe(true);
    expect(r.records).toHaveLength(2);
    expect(r.records[0]!).toMatchObject({ question: 'Which, of these?', answer: 'say "hi"', options: { A: 'a, b', B: 'say "hi"', C: 'c', D: 'd' } });
    expect(r.records[1]!).toMatchObject({ question: 'Multi\nline?', answer_idx: 'E', answer: 'v' });
  });

  it('reports rows by the line they start on', () => {
    const text = 'Q1?,a,b,c,d,A\n"Q2\nspans lines?",a,b,c,d,Z\nQ3?,a,b\nQ4?,a,b,c,d,\n';
    const r = importQa('mmlu', text);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.line, p.reason])).toEqual([
      [2, 'bad_answer'],
      [4, 'too_few_options'],
      [5, 'bad_answer'],
    ]);
  });
});
