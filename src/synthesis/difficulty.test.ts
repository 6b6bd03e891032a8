import { describe, expect, it } from 'vitest';
import { DIFFICULTY_THRESHOLDS, difficultyScore, heuristicTier, tierOf } from './difficulty';

const base = { hops: 1, evidenceShown: 3, evidenceDropped: 0, answerRarity: 0, answerDegree: 40, distractorOverlap: 0, optionCount: 4 };

describe('difficulty', () => {
  it('rises with hops, withheld evidence, answer rarity and distractor overlap', () => {
    const s0 = difficultyScore(base);
    for (const more of [{ hops: 3 }, { evidenceDropped: 2 }, { answerRarity: 0.9 }, { distractorOverlap: 0.8 }]) expect(difficultyScore({ ...base, ...more })).toBeGreaterThan(s0);
    expect(tierOf(s0)).toBe('easy');
    expect(tierOf(difficultyScore({ ...base, hops: 4, answerRarity: 0.8, distractorOverlap: 0.5 }))).toBe('difficult');
    expect(tierOf(DIFFICULTY_THRESHOLDS.moderate)).toBe('moderate');
  });

  it('gives imported items a tier from the signals that apply, else moderate', () => {
    expect(heuristicTier('Which nerve supplies the deltoid?', 4)).toBe('easy');
    expect(heuristicTier(Array.from({ length: 150 }, () => 'word').join(' '), 4)).toBe('difficult');
    expect(heuristicTier('A 45-year-old man comes to the emergency department with two days of fever, chills and a productive cough. What is the next step?', 4)).toBe('moderate');
  });
});
