/**
 * Difficulty tiers from stored, explainable features. The score weighs what makes a
 * KG question hard for a reader: more hops between evidence and answer, evidence
 * withheld (partial information), a rare answer, and distractors that share much of
 * the evidence. Thresholds were set on the default graph (default settings) so that
 * each tier holds roughly a third of the items; bench/synthesis.ts reports the split.
 */
import type { Difficulty, DifficultyFeatures } from './record';

export const DIFFICULTY_WEIGHTS = { hops: 0.3, dropped: 0.2, rarity: 0.3, overlap: 0.2 } as const;
export const DIFFICULTY_THRESHOLDS = { moderate: 0.21, difficult: 0.3 } as const;

export type FeatureInput = Omit<DifficultyFeatures, 'score'>;

export function difficultyScore(f: FeatureInput): number {
  const hops = Math.min(1, Math.max(0, (f.hops - 1) / 3));
  const total = f.evidenceShown + f.evidenceDropped;
  const dropped = total > 0 ? f.evidenceDropped / total : 0;
  const w = DIFFICULTY_WEIGHTS;
  const s = w.hops * hops + w.dropped * dropped + w.rarity * clamp01(f.answerRarity) + w.overlap * clamp01(f.distractorOverlap);
  return Math.round(s * 1e4) / 1e4;
}

export function tierOf(score: number): Difficulty {
  if (score >= DIFFICULTY_THRESHOLDS.difficult) return 'difficult';
  if (score >= DIFFICULTY_THRESHOLDS.moderate) return 'moderate';
  return 'easy';
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
