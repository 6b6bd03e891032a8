import { describe, expect, it } from 'vitest';
import { BREVITY_BAND, best, selectPassing } from './select';
import type { Trajectory } from './types';

const traj = (questionId: string, candidate: number, words: number, passed = true): Trajectory => ({
  id: `t-${questionId}-${candidate}`,
  questionId,
  text: `<think>${Array.from({ length: words }, (_, i) => `w${i}`).join(' ')}</think><answer>A</answer>`,
  teacher: 'kg',
  round: 0,
  candidate,
  strategy: 'initial',
  checks: [{ name: 'format', passed, applicable: true, detail: '' }],
  claims: [],
  unsupportedClaims: 0,
  mentions: [],
  passed,
  selected: false,
  createdAt: '',
});

describe('pass@k selection', () => {
  it('does not let the shortest passing candidate always win: equally good candidates are drawn per question', () => {
    // four styles of similar length (60, 70, 80, 85 words); a strict brevity rule picks candidate 0 every time
    const picks = Array.from({ length: 400 }, (_, i) => selectPassing([60, 70, 80, 85].map((w, c) => traj(`q${i}`, c, w)))!.candidate);
    const counts = [0, 1, 2, 3].map((c) => picks.filter((p) => p === c).length);
    for (const n of counts) expect(n).toBeGreaterThan(60);
    // deterministic for a question
    const again = selectPassing([60, 70, 80, 85].map((w, c) => traj('q7', c, w)))!.candidate;
    expect(again).toBe(picks[7]);
  });

  it('sets aside padded candidates and failing ones', () => {
    expect(selectPassing([traj('a', 0, 100), traj('a', 1, Math.ceil(100 * BREVITY_BAND) + 1)])!.candidate).toBe(0);
    expect(selectPassing([traj('a', 0, 40, false), traj('a', 1, 90)])!.candidate).toBe(1);
    expect(selectPassing([traj('a', 0, 40, false)])).toBeNull();
  });

  it('for refinement, the best failing candidate passes the most checks, then is the shortest', () => {
    const a = traj('a', 0, 50, false);
    const b = { ...traj('a', 1, 80, false), checks: [...traj('a', 1, 80, false).checks, { name: 'answer' as const, passed: true, applicable: true, detail: '' }] };
    expect(best([a, b])!.candidate).toBe(1);
    expect(best([traj('a', 0, 80, false), traj('a', 1, 50, false)])!.candidate).toBe(1);
  });
});
