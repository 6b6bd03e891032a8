/**
 * The training mix: synthetic and imported items at a chosen ratio, stratified by
 * difficulty so that every tier keeps the same synthetic/imported split (the curriculum
 * draws by tier, and a tier made only of one source would skew it). Deterministic for a seed.
 */
import { DIFFICULTIES, type Difficulty, type QuestionRecord } from './record';
import { Rng } from './rng';

export interface MixOptions {
  /** share of imported (public) items in the result, 0..1 */
  importedShare: number;
  /** total wanted; default: as many as the ratio allows in every tier */
  n?: number;
  seed: number;
}

export interface MixReport {
  n: number;
  perDifficulty: Record<Difficulty, { synthetic: number; imported: number }>;
  /** the share actually reached (rounding per tier) */
  importedShare: number;
}

export function mixDatasets(synthetic: QuestionRecord[], imported: QuestionRecord[], opts: MixOptions): { records: QuestionRecord[]; report: MixReport } {
  const r = opts.importedShare;
  if (!(r >= 0 && r <= 1)) throw new Error(`imported share must be between 0 and 1, got ${opts.importedShare}`);
  if (opts.n !== undefined && !(Number.isInteger(opts.n) && opts.n >= 0)) throw new Error(`n must be a non-negative integer, got ${opts.n}`);
  const rng = new Rng(opts.seed);
  const byTier = (xs: QuestionRecord[]) => Object.fromEntries(DIFFICULTIES.map((d) => [d, rng.shufflePrefix(xs.filter((x) => x.difficulty === d))])) as Record<Difficulty, QuestionRecord[]>;
  const syn = byTier(synthetic);
  const imp = byTier(imported);
  // largest tier size each tier supports at this ratio
  const cap = Object.fromEntries(
    DIFFICULTIES.map((d) => {
      const s = r === 1 ? Infinity : syn[d].length / (1 - r);
      const i = r === 0 ? Infinity : imp[d].length / r;
      return [d, Math.floor(Math.min(s, i))];
    }),
  ) as Record<Difficulty, number>;
  const capTotal = DIFFICULTIES.reduce((a, d) => a + cap[d], 0);
  const want = opts.n === undefined ? capTotal : Math.min(opts.n, capTotal);
  const scale = capTotal === 0 ? 0 : want / capTotal;
  const out: QuestionRecord[] = [];
  const perDifficulty = {} as MixReport['perDifficulty'];
  let importedCount = 0;
  for (const d of DIFFICULTIES) {
    const size = Math.round(cap[d] * scale);
    const nImp = Math.min(imp[d].length, Math.round(size * r));
    const nSyn = Math.min(syn[d].length, size - nImp);
    perDifficulty[d] = { synthetic: nSyn, imported: nImp };
    importedCount += nImp;
    out.push(...imp[d].slice(0, nImp), ...syn[d].slice(0, nSyn));
  }
  rng.shufflePrefix(out);
  return { records: out, report: { n: out.length, perDifficulty, importedShare: out.length ? Math.round((importedCount / out.length) * 1e4) / 1e4 : 0 } };
}
