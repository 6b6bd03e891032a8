/**
 * Difficulty tiers from stored, explainable features that vary inside a question type:
 * evidence withheld from the stem, how few findings are shown, how rare the answer and the
 * subject are, how close the distractors sit to the answer, and hops (which separate types
 * more than items). The score is a weighted sum with its terms stored; the tier compares it
 * with THIS TYPE's cut points: the terciles of a calibration sample drawn before the run,
 * updated every 25 items with the run's own scores (engine.ts; each item stores the cuts it
 * was tiered by), so every type with enough items has all three tiers and a tier reads as
 * "harder than two thirds (or one third) of the items of its kind".
 */
import type { Difficulty, DifficultyFeatures } from './record';

export const DIFFICULTY_WEIGHTS = { withheld: 0.2, fewFindings: 0.15, rarity: 0.3, closeness: 0.25, hops: 0.1 } as const;
/** used when a type has too few calibration items (a graph that barely supports it) */
export const FALLBACK_CUTS: [number, number] = [0.3, 0.45];

export type FeatureInput = Omit<DifficultyFeatures, 'score' | 'scoreParts' | 'tierCuts'>;

export function scoreParts(f: FeatureInput): Record<keyof typeof DIFFICULTY_WEIGHTS, number> {
  const w = DIFFICULTY_WEIGHTS;
  const total = f.evidenceShown + f.evidenceDropped;
  const withheld = total > 0 ? f.evidenceDropped / total : 0;
  // pictures of 2 findings are the hardest, 5 or more the easiest; named-entity stems carry no such term
  const fewFindings = f.evidenceShown >= 2 ? clamp01((5 - f.evidenceShown) / 3) : 0;
  const rarity = f.subjectRarity === undefined ? clamp01(f.answerRarity) : (clamp01(f.answerRarity) + clamp01(f.subjectRarity)) / 2;
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    withheld: r4(w.withheld * withheld),
    fewFindings: r4(w.fewFindings * fewFindings),
    rarity: r4(w.rarity * rarity),
    closeness: r4(w.closeness * clamp01(f.distractorCloseness ?? f.distractorOverlap)),
    hops: r4(w.hops * clamp01((f.hops - 1) / 3)),
  };
}

export function difficultyScore(f: FeatureInput): number {
  const p = scoreParts(f);
  return Math.round((p.withheld + p.fewFindings + p.rarity + p.closeness + p.hops) * 1e4) / 1e4;
}

export function tierOf(score: number, cuts: readonly [number, number] = FALLBACK_CUTS): Difficulty {
  if (score >= cuts[1]) return 'difficult';
  if (score >= cuts[0]) return 'moderate';
  return 'easy';
}

/** Tercile cut points of a sample of scores (ties fall to the lower tier); the fallback for fewer than 6. */
export function tercileCuts(scores: readonly number[]): [number, number] {
  if (scores.length < 6) return FALLBACK_CUTS;
  const s = [...scores].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  let lo = q(1 / 3);
  let hi = q(2 / 3);
  // many equal scores: nudge so each cut still splits the sample
  if (lo <= s[0]!) lo = s.find((x) => x > s[0]!) ?? lo + 1e-4;
  if (hi <= lo) hi = s.find((x) => x > lo) ?? lo + 1e-4;
  return [lo, hi];
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Imported items have no KG features: use the signals that do apply (stem length as a
 * proxy for a clinical vignette, option count), else "moderate".
 */
export function heuristicTier(question: string, optionCount: number): Difficulty {
  const words = question.trim().split(/\s+/).length;
  if (words >= 120 || optionCount >= 6) return 'difficult';
  if (words > 0 && words < 15 && optionCount <= 4) return 'easy';
  return 'moderate';
}
