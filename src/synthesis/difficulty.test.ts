import { describe, expect, it } from 'vitest';
import { difficultyScore, heuristicTier, scoreParts, tercileCuts, tierOf } from './difficulty';

const base = { hops: 1, evidenceShown: 5, evidenceDropped: 0, answerRarity: 0, answerDegree: 40, distractorOverlap: 0, optionCount: 4 };

describe('difficulty', () => {
  it('rises with withheld evidence, fewer findings, rarity, distractor closeness and hops; its terms add up', () => {
    const s0 = difficultyScore(base);
    for (const more of [{ hops: 3 }, { evidenceDropped: 2 }, { evidenceShown: 3 }, { answerRarity: 0.9 }, { distractorCloseness: 0.8 }, { subjectRarity: 0.9, answerRarity: 0.5 }]) {
      expect(difficultyScore({ ...base, ...more }), JSON.stringify(more)).toBeGreaterThan(s0);
    }
    const f = { ...base, evidenceShown: 3, evidenceDropped: 2, answerRarity: 0.4, subjectRarity: 0.6, distractorCloseness: 0.5, hops: 2 };
    const parts = scoreParts(f);
    expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBeCloseTo(difficultyScore(f), 3);
  });

  it('tiers against per-type cut points: terciles of a sample, with ties nudged so every tier can fill', () => {
    const scores = Array.from({ length: 30 }, (_, i) => i / 30);
    const cuts = tercileCuts(scores);
    const tiers = scores.map((s) => tierOf(s, cuts));
    for (const t of ['easy', 'moderate', 'difficult'] as const) expect(tiers.filter((x) => x === t).length).toBe(10);
    const tied = tercileCuts([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.3, 0.4]);
    expect(tied[0]).toBeGreaterThan(0.1);
    expect(tied[1]).toBeGreaterThan(tied[0]);
    expect(tercileCuts([0.5, 0.6])).toEqual([0.3, 0.45]); // too few: the fallback
  });

  it('gives imported items a tier from the signals that apply, else moderate', () => {
    expect(heuristicTier('Which nerve supplies the deltoid?', 4)).toBe('easy');
    expect(heuristicTier(Array.from({ length: 150 }, () => 'word').join(' '), 4)).toBe('difficult');
    expect(heuristicTier('A 45-year-old man comes to the emergency department with two days of fever, chills and a productive cough. What is the next step?', 4)).toBe('moderate');
  });
});
