/**
 * A whole synthesis run with its report: the records, counts per tier and type, the
 * drop reasons (per type too), why candidate distractors were turned down, throughput, the
 * long-tail report (share of rare answers against a uniform-sampling run with the same seed
 * and settings), the types this graph cannot support, and the validity report.
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { Synthesizer, type DropReason, type SynthesisSettings, type UnavailableType } from './engine';
import { DIFFICULTIES, type Difficulty, type QuestionRecord } from './record';
import { validityReport, type ValidityReport } from './validity';

export interface SynthesisSummary {
  n: number;
  perDifficulty: Record<Difficulty, number>;
  perType: Record<string, number>;
  dropped: Partial<Record<DropReason, number>>;
  droppedPerType?: Record<string, Partial<Record<DropReason, number>>>;
  /** candidate distractors turned down, by rule */
  rejectedDistractors?: Record<string, number>;
  /** per type: the tier cut points [moderate, difficult] on the difficulty score */
  tierCuts?: Record<string, [number, number]>;
  /** requested types this graph cannot support, with what it lacks */
  unavailable?: UnavailableType[];
  questionsPerSecond: number;
  rareAnswerShare: number;
  rareAnswerShareUniform: number;
  /**
   * What the run could not make: n less what was made, and per type what it fell short of its
   * fair share (n over the types). No type may fill more than twice its share (engine.ts), so
   * a type that runs dry leaves a shortfall here instead of more recall items.
   */
  shortfall: { requested: number; made: number; missing: number; fairShare: number; typeCap: number; perType: Record<string, number> };
  attempts: number;
  settings: Required<SynthesisSettings>;
  /** defect counts over the generated items (validity.ts) */
  validity?: ValidityReport;
}

export interface RunHooks {
  /** called every `every` records with the number done */
  onProgress?: (done: number, total: number) => void;
  every?: number;
  /** checked between records; when true the run stops with what it has */
  cancelled?: () => boolean;
}

export function synthesize(kg: KnowledgeGraph, graphLabel: string, settings: SynthesisSettings, hooks: RunHooks = {}): { records: QuestionRecord[]; summary: SynthesisSummary } {
  const s = new Synthesizer(kg, graphLabel, settings);
  const records: QuestionRecord[] = [];
  const every = hooks.every ?? 100;
  const t0 = performance.now();
  for (const r of s.generate()) {
    records.push(r);
    if (records.length % every === 0) {
      hooks.onProgress?.(records.length, s.settings.n);
      if (hooks.cancelled?.()) break;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return { records, summary: summaryOf(s, records, seconds, uniformRareShare(kg, graphLabel, s.settings)) };
}

/** The run's summary; `validity: false` skips the defect report (it reads the graph once per item). */
export function summaryOf(s: Synthesizer, records: QuestionRecord[], seconds: number, rareUniform: number, opts: { validity?: boolean } = {}): SynthesisSummary {
  const perDifficulty = Object.fromEntries(DIFFICULTIES.map((d) => [d, 0])) as Record<Difficulty, number>;
  for (const r of records) perDifficulty[r.difficulty]++;
  const dropped = Object.fromEntries(Object.entries(s.dropped).filter(([, v]) => v > 0)) as Partial<Record<DropReason, number>>;
  const tierCuts: Record<string, [number, number]> = {};
  for (const type of Object.keys(s.perType)) {
    const c = s.cutsOf(type);
    if (c) tierCuts[type] = c;
  }
  return {
    n: records.length,
    perDifficulty,
    perType: { ...s.perType },
    dropped,
    questionsPerSecond: Math.round(records.length / Math.max(seconds, 1e-9)),
    rareAnswerShare: round4(s.emitted ? s.rareAnswers / s.emitted : 0),
    rareAnswerShareUniform: round4(rareUniform),
    shortfall: { ...s.shortfall(), made: records.length, missing: s.settings.n - records.length },
    attempts: s.attempts,
    settings: s.settings,
    unavailable: s.unavailable,
    droppedPerType: s.droppedPerType,
    rejectedDistractors: { ...s.judges.rejected },
    tierCuts,
    ...(opts.validity === false ? {} : { validity: validityReport(s.g.kg, records) }),
  };
}

/** The same run with α = 0: the baseline the long-tail report compares against. */
export function uniformRareShare(kg: KnowledgeGraph, graphLabel: string, settings: Required<SynthesisSettings>): number {
  const u = new Synthesizer(kg, graphLabel, { ...settings, alpha: 0 });
  for (const _ of u.generate());
  return u.emitted ? u.rareAnswers / u.emitted : 0;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
