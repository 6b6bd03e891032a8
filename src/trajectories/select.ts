/**
 * pass@k selection: a candidate is kept when it passes every check; among those kept
 * (or, when none is, among all) the best passes the most checks, then has the fewest
 * unsupported claims, then is the shortest.
 */
import { wordCount } from './text';
import type { Trajectory } from './types';

export function rank(a: Trajectory, b: Trajectory): number {
  const pa = a.checks.filter((c) => c.passed).length;
  const pb = b.checks.filter((c) => c.passed).length;
  if (pa !== pb) return pb - pa;
  if (a.unsupportedClaims !== b.unsupportedClaims) return a.unsupportedClaims - b.unsupportedClaims;
  return wordCount(a.text) - wordCount(b.text);
}

/** the best of a set (stable: the earlier wins a tie) */
export function best(ts: Trajectory[]): Trajectory | null {
  let out: Trajectory | null = null;
  for (const t of ts) if (!out || rank(t, out) < 0) out = t;
  return out;
}

/** the passing candidate to keep for SFT, or null */
export function selectPassing(ts: Trajectory[]): Trajectory | null {
  return best(ts.filter((t) => t.passed));
}
