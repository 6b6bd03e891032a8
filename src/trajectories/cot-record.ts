/**
 * The CLI's output record: one JSON object per question with every stored trajectory,
 * each check reduced to pass/fail, and which one was selected for SFT.
 */
import type { ItemResult, RunSummary } from './pipeline';

export interface CotRecord {
  question_id: string;
  trajectories: { text: string; teacher: string; round: number; style?: string; checks: Record<string, boolean>; selected: boolean }[];
}

export function toCotRecord(r: ItemResult): CotRecord {
  return {
    question_id: r.question.id,
    trajectories: r.trajectories.map((t) => ({
      text: t.text,
      teacher: t.teacher,
      round: t.round,
      ...(t.style ? { style: t.style } : {}),
      checks: Object.fromEntries(t.checks.map((c) => [c.name, c.passed])),
      selected: t.selected,
    })),
  };
}

/** the summary line: the five figures the issue names first, then the detail */
export function cotSummary(s: RunSummary) {
  return { n: s.n, passAt1: s.passAt1, passAtK: s.passAtK, afterRefinement: s.afterRefinement, unsupportedClaims: s.unsupportedClaims, trajectories: s.trajectories, failedCalls: s.failedCalls, failedChecks: s.failedChecks, selectedStyles: s.selectedStyles, selectedNegatives: s.selectedNegatives };
}
