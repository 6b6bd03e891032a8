import { describe, expect, it } from 'vitest';
import { chosenLetter, correctnessReward, extractAnswerText, formatProblem, formatReward, normalizeAnswer, perTierMetrics, resolveAnswer, scoreCompletion } from './reward';

const OPTS = { A: 'asthma', B: 'Chronic obstructive pulmonary disease', C: 'pneumonia (bacterial)', D: 'type 2 diabetes mellitus.' };

describe('format reward', () => {
  it.each([
    ['<think>x</think><answer>A</answer>', 1],
    ['  \n<think>a\nb</think>\n <answer> B </answer>\n', 1],
    ['<think>x</think><answer>A</answer><|eos|>', 1],
    ['<think>x</think><answer>A</answer> <|im_end|>\n<|endoftext|>', 1],
    ['<think>x</think><answer>A</answer>junk', 0],
    ['<think>x</think><answer>A</answer><|eos|>junk', 0],
    ['preamble <think>x</think><answer>A</answer>', 0],
    ['<think>x</think>so <answer>A</answer>', 0],
    ['<think> \n </think><answer>A</answer>', 0],
    ['<think>x</think><answer>  </answer>', 0],
    ['<think>x</think><answer>A</answer><answer>B</answer>', 0],
    ['<think>x<think>y</think><answer>A</answer>', 0],
    ['<answer>A</answer><think>x</think>', 0],
    ['<think>x</think>', 0],
    ['<think>x<answer>A</answer></think>', 0],
    ['', 0],
  ])('%j → %d', (text, want) => {
    expect(formatReward(text)).toBe(want);
    expect(formatProblem(text) === null).toBe(want === 1);
  });

  it('names the problem', () => {
    expect(formatProblem('<think>x</think><answer>A</answer>junk')).toBe('text after </answer>');
    expect(formatProblem('<think>x</think>')).toBe('no <answer>');
  });
});

describe('answer extraction', () => {
  it('takes the last complete <answer>', () => {
    expect(extractAnswerText('<answer>A</answer> then <answer>C</answer>')).toBe('C');
    expect(extractAnswerText('<answer>A</answer> then <answer>C')).toBe('A');
    expect(extractAnswerText('no tags')).toBeNull();
  });

  it('normalises case, spaces, emphasis and a final period', () => {
    expect(normalizeAnswer('  **Type 2\n Diabetes   Mellitus.** ')).toBe('type 2 diabetes mellitus');
    expect(normalizeAnswer('"B".')).toBe('b');
  });

  it.each([
    ['B', 'B'],
    ['(b)', 'B'],
    ['B.', 'B'],
    ['b)', 'B'],
    ['D:', 'D'],
    ['E', null],
    ['chronic OBSTRUCTIVE  pulmonary disease', 'B'],
    ['Type 2 diabetes mellitus', 'D'],
    ['B. chronic obstructive pulmonary disease', 'B'],
    ['(A) asthma', 'A'],
    ['A. chronic obstructive pulmonary disease', null],
    ['pneumonia', null],
    ['Pneumonia (Bacterial)', 'C'],
    ['', null],
  ])('%j → %j', (answer, want) => {
    expect(resolveAnswer(answer, OPTS)).toBe(want);
  });

  it('an option whose text is a letter wins over the letter reading', () => {
    // option C's text is "B": the exact text names C
    expect(resolveAnswer('b', { A: 'x', B: 'y', C: 'B' })).toBe('C');
  });

  it('duplicate option texts resolve to nothing', () => {
    expect(resolveAnswer('x', { A: 'x', B: 'X', C: 'y' })).toBeNull();
  });
});

describe('rewards', () => {
  const q = { options: { A: 'asthma', B: 'brain', C: 'liver', D: 'skin' }, answer_idx: 'B' };
  it('correctness by letter or by name', () => {
    expect(correctnessReward('<think>x</think><answer>brain</answer>', q.options, 'B')).toBe(1);
    expect(correctnessReward('<think>x</think><answer>B</answer>', q.options, 'B')).toBe(1);
    expect(correctnessReward('<think>x</think><answer>liver</answer>', q.options, 'B')).toBe(0);
    expect(chosenLetter('<answer>liver</answer>', q.options)).toBe('C');
  });

  it('combines with the weights and keeps the parts', () => {
    expect(scoreCompletion('<think>x</think><answer>brain</answer>', q, [1, 0.5])).toEqual({ reward: 1.5, correctness: 1, format: 1, chosen: 'B' });
    // right answer, broken format: correctness still counts
    expect(scoreCompletion('brain <answer>brain</answer>', q, [1, 0.5])).toEqual({ reward: 1, correctness: 1, format: 0, chosen: 'B' });
    expect(scoreCompletion('<think>x</think><answer>skin</answer>', q, [2, 1]).reward).toBe(1);
  });

  it('per-tier means with counts, absent tiers left out', () => {
    const t = perTierMetrics([
      { difficulty: 'easy', reward: 2, correctness: 1, format: 1 },
      { difficulty: 'easy', reward: 1, correctness: 0, format: 1 },
      { difficulty: 'difficult', reward: 0, correctness: 0, format: 0 },
    ]);
    expect(t).toEqual({ easy: { reward: 1.5, accuracy: 0.5, format: 1, n: 2 }, difficult: { reward: 0, accuracy: 0, format: 0, n: 1 } });
  });
});
