import { describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../../../synthesis/record';
import type { Trajectory } from '../../../trajectories/types';
import { wordDiff } from './diff';
import { inspectorRows, NO_FILTERS } from './filters';

describe('wordDiff', () => {
  it('marks removed and added words and keeps the rest', () => {
    const d = wordDiff('Aspirin treats dragonpox. The answer is B.', 'Aspirin treats fever. The answer is B.');
    expect(d.filter((p) => p.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'dragonpox.' },
      { kind: 'added', text: 'fever.' },
    ]);
    expect(d.filter((p) => p.kind !== 'removed').map((p) => p.text).join('')).toBe('Aspirin treats fever. The answer is B.');
    expect(d.filter((p) => p.kind !== 'added').map((p) => p.text).join('')).toBe('Aspirin treats dragonpox. The answer is B.');
    expect(wordDiff('', 'a b')).toEqual([{ kind: 'added', text: 'a b' }]);
  });
});

describe('inspectorRows', () => {
  const q = (id: string, difficulty: 'easy' | 'difficult'): QuestionRecord => ({ id, question: id, options: { A: 'x', B: 'y' }, answer_idx: 'A', answer: 'x', difficulty, type: 't', source: 'synthetic', status: 'pending' });
  const t = (questionId: string, teacher: string, failed: string[]): Trajectory => ({
    id: `${questionId}-${teacher}`,
    questionId,
    text: '',
    teacher,
    round: 0,
    candidate: 0,
    strategy: 'initial',
    checks: ['format', 'answer', 'relations'].map((name) => ({ name: name as 'format', passed: !failed.includes(name), applicable: true, detail: '' })),
    claims: [],
    unsupportedClaims: 0,
    mentions: [],
    passed: failed.length === 0,
    selected: false,
    createdAt: '',
  });
  const qs = [q('a', 'easy'), q('b', 'difficult'), q('c', 'easy')];
  const ts = [t('a', 'kg', []), t('b', 'kg', ['relations']), t('b', 'openai:x', [])];
  it('lists only questions with trajectories, filtered by outcome, failed check, difficulty and teacher', () => {
    expect(inspectorRows(qs, ts, NO_FILTERS).map((r) => r.question.id)).toEqual(['a', 'b']);
    expect(inspectorRows(qs, ts, { ...NO_FILTERS, outcome: 'failed:relations' }).map((r) => r.question.id)).toEqual(['b']);
    expect(inspectorRows(qs, ts, { ...NO_FILTERS, outcome: 'failed', teacher: 'kg' }).map((r) => r.question.id)).toEqual(['b']);
    expect(inspectorRows(qs, ts, { ...NO_FILTERS, outcome: 'failed' }).map((r) => r.question.id)).toEqual([]);
    expect(inspectorRows(qs, ts, { ...NO_FILTERS, difficulty: 'easy' }).map((r) => r.question.id)).toEqual(['a']);
  });
});
