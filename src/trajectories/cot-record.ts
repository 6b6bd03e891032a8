/**
 * The CLI's output record: one JSON object per question with every stored trajectory,
 * each check reduced to pass/fail, and which one was selected for SFT.
 */
import type { ItemResult, RunSummary } from './pipeline';

export interface CotRecord {
  question_id: string;
  /** the teacher wrote nothing for this item on purpose, and why */
  skipped?: { kind: string; reason: string };
  trajectories: { text: string; teacher: string; round: number; style?: string; checks: Record<string, boolean>; selected: boolean }[];
}

export function toCotRecord(r: ItemResult): CotRecord {
  return {
    question_id: r.question.id,
    ...(r.skipped ? { skipped: r.skipped } : {}),
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

/** the summary line: the five figures the issue names first (rates over the items not skipped), then the detail */
export function cotSummary(s: RunSummary) {
  return {
    n: s.n,
    passAt1: s.passAt1,
    passAtK: s.passAtK,
    afterRefinement: s.afterRefinement,
    unsupportedClaims: s.unsupportedClaims,
    skipped: s.skipped,
    skippedKinds: s.skippedKinds,
    trajectories: s.trajectories,
    failedCalls: s.failedCalls,
    failedChecks: s.failedChecks,
    selectedStyles: s.selectedStyles,
    selectedNegatives: s.selectedNegatives,
    selectedAbsentEdgePhrasings: s.selectedAbsentEdgePhrasings,
    selectedMeanWords: s.selectedMeanWords,
    coveragePerType: s.coveragePerType,
  };
}
