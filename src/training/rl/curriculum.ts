/**
 * The maths of the paper's two-stage curriculum (§3.3), pure so the trainer, the views and
 * the tests share it: the stage-1 plateau detector and stage-2 hard-sample mining.
 *
 * Plateau (stage 1 → 2): "once the model's performance plateaus — signalled by the emergence
 * of reward sparsity". Two signals, either fires:
 *  - the reward's moving average (window w) has a least-squares slope below plateau_slope
 *    over its last w values (needs 2w − 1 steps);
 *  - the mean frac_reward_zero_std of the last w steps is above plateau_zero_std: most groups
 *    are all right (or all wrong), so their advantages are zero and they teach nothing.
 *
 * Mining (stage 2): the policy is scored on the whole training set (n samples per item);
 * items it failed at least once are ranked Difficult first, then by failures (most first);
 * items it solved every time form the replay pool.
 */
import { DIFFICULTIES, type Difficulty } from '../../synthesis/record';
import { hash64 } from '../../synthesis/text';
import type { CurriculumSettings } from './types';

/** trailing moving average: out[i] = mean(xs[i−w+1 … i]), defined from i = w − 1 (length n − w + 1) */
export function movingAverage(xs: readonly number[], w: number): number[] {
  if (!(Number.isInteger(w) && w >= 1)) throw new Error(`moving-average window must be a positive integer, got ${w}`);
  const out: number[] = [];
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i]!;
    if (i >= w) s -= xs[i - w]!;
    if (i >= w - 1) out.push(s / w);
  }
  return out;
}

/** least-squares slope of ys against 0, 1, 2, … (per step); 0 for fewer than two points */
export function leastSquaresSlope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * (ys[i]! - my);
    sxx += (i - mx) ** 2;
  }
  return sxy / sxx;
}

export interface PlateauSignal {
  signal: 'slope' | 'zero_std';
  /** plain words with the numbers, for the CurriculumEvent */
  reason: string;
  values: Record<string, number>;
}

type PlateauSettings = Pick<CurriculumSettings, 'plateau_window' | 'plateau_slope' | 'plateau_zero_std'>;

/**
 * Has stage 1 plateaued? `rewards` and `zeroStd` are the per-step mean reward and
 * frac_reward_zero_std of stage 1 so far, oldest first. Returns null while neither signal fires.
 */
export function plateauCheck(rewards: readonly number[], zeroStd: readonly number[], s: PlateauSettings): PlateauSignal | null {
  const w = s.plateau_window;
  if (zeroStd.length >= w) {
    const recent = zeroStd.slice(-w);
    const mean = recent.reduce((a, b) => a + b, 0) / w;
    if (mean > s.plateau_zero_std) {
      return {
        signal: 'zero_std',
        reason: `mean frac_reward_zero_std ${mean.toFixed(3)} > ${s.plateau_zero_std} over the last ${w} steps: most groups score alike and carry no learning signal`,
        values: { window: w, frac_reward_zero_std_mean: mean, plateau_zero_std: s.plateau_zero_std, steps: rewards.length },
      };
    }
  }
  if (rewards.length >= 2 * w - 1) {
    const ma = movingAverage(rewards, w).slice(-w);
    const slope = leastSquaresSlope(ma);
    if (slope < s.plateau_slope) {
      return {
        signal: 'slope',
        reason: `reward moving average (window ${w}) slope ${slope.toExponential(2)}/step < ${s.plateau_slope} over the last ${w} steps (now ${ma[ma.length - 1]!.toFixed(3)})`,
        values: { window: w, slope, plateau_slope: s.plateau_slope, reward_ma: ma[ma.length - 1]!, steps: rewards.length },
      };
    }
  }
  return null;
}

export interface ItemOutcome {
  id: string;
  difficulty: Difficulty;
  /** samples that answered correctly */
  correct: number;
  /** samples drawn */
  total: number;
}

export interface MinedSet {
  /** items failed at least once, hardest first: Difficult, Moderate, Easy; within a tier most failures first */
  mined: string[];
  /** items solved by every sample: the replay pool against forgetting */
  solved: string[];
  /** mined items per tier */
  perTier: Record<Difficulty, number>;
}

const TIER_RANK: Record<Difficulty, number> = { difficult: 0, moderate: 1, easy: 2 };

/**
 * Ranks items by repeated failure, Difficult first. Ties break on a hash of the id, so the
 * order is deterministic without favouring ids that sort early. When no item was solved by
 * every sample, the replay pool falls back to items solved at least half the time.
 */
export function mineHardItems(outcomes: readonly ItemOutcome[], _s?: Partial<CurriculumSettings>): MinedSet {
  for (const o of outcomes) {
    if (!(Number.isInteger(o.total) && o.total >= 1 && Number.isInteger(o.correct) && o.correct >= 0 && o.correct <= o.total)) {
      throw new Error(`item ${o.id}: ${o.correct} correct of ${o.total} samples is not a valid score`);
    }
  }
  const tie = (id: string) => hash64(id);
  const failing = outcomes.filter((o) => o.correct < o.total);
  failing.sort((a, b) => TIER_RANK[a.difficulty] - TIER_RANK[b.difficulty] || b.total - b.correct - (a.total - a.correct) || a.correct / a.total - b.correct / b.total || (tie(a.id) < tie(b.id) ? -1 : tie(a.id) > tie(b.id) ? 1 : 0));
  let solved = outcomes.filter((o) => o.correct === o.total);
  if (!solved.length) solved = outcomes.filter((o) => o.correct > 0 && o.correct / o.total >= 0.5);
  const perTier = Object.fromEntries(DIFFICULTIES.map((d) => [d, failing.filter((o) => o.difficulty === d).length])) as Record<Difficulty, number>;
  return { mined: failing.map((o) => o.id), solved: solved.map((o) => o.id), perTier };
}
