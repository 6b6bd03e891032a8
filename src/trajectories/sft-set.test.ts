import { describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../synthesis/record';
import { sftSet, toSftJsonl } from './sft-set';
import type { Trajectory } from './types';

const q = (id: string, status: QuestionRecord['status'] = 'pending'): QuestionRecord => ({ id, question: `Q ${id}?`, options: { A: 'x', B: 'y' }, answer_idx: 'B', answer: 'y', difficulty: 'moderate', type: 't', source: 'synthetic', status });
const t = (questionId: string, candidate: number, extra: Partial<Trajectory> = {}): Trajectory => ({
  id: `${questionId}-${candidate}`,
  questionId,
  text: `<think>${questionId} ${candidate}</think><answer>B</answer>`,
  teacher: 'kg',
  round: 0,
  candidate,
  strategy: 'initial',
  checks: [],
  claims: [],
  unsupportedClaims: 0,
  mentions: [],
  passed: true,
  selected: false,
  createdAt: '',
  ...extra,
});

describe('SFT set', () => {
  it('takes accepted trajectories first, else the pass@k selection unless rejected; skips rejected questions', () => {
    const qs = [q('a'), q('b'), q('c'), q('d', 'rejected'), q('e')];
    const ts = [
      t('a', 0, { selected: true }),
      t('a', 1, { review: 'accepted' }),
      t('b', 0, { selected: true }),
      t('c', 0, { selected: true, review: 'rejected' }),
      t('d', 0, { selected: true }),
      t('e', 0, { passed: false }),
    ];
    expect(sftSet(qs, ts).map((i) => i.trajectory.id)).toEqual(['a-1', 'b-0']);
  });

  it('writes TRL prompt-completion lines with the RL prompt and the trajectory as the completion', () => {
    const [line] = toSftJsonl(sftSet([q('a')], [t('a', 0, { selected: true })])).trim().split('\n').map((l) => JSON.parse(l));
    expect(line.prompt.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(line.prompt[1].content).toContain('Q a?');
    expect(line.completion).toEqual([{ role: 'assistant', content: '<think>a 0</think><answer>B</answer>' }]);
    expect(line).toMatchObject({ answer: 'B', difficulty: 'moderate', id: 'a', trajectory_id: 'a-0', teacher: 'kg', round: 0 });
    expect(toSftJsonl([])).toBe('');
  });
});
