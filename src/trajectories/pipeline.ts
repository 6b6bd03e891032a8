/**
 * pass@k with iterative refinement, per question: k candidates from the teacher, each
 * verified and stored; when none passes, up to N refinement rounds, each naming the
 * failed checks of the best candidate so far and applying the next strategy in turn
 * (backtracking → path exploration → self-correction), every round stored. A failed
 * teacher call stores nothing and the run goes on; cancellation stops it between calls.
 * A run in which every teacher call failed is an error (EndpointUnavailableError, with
 * what to do next), not a 0 % result, and one whose first calls all fail stops early.
 */
import type { QuestionRecord } from '../synthesis/record';
import { hash64 } from '../synthesis/text';
import { runInLanes } from './lanes';
import { CallHealth, EndpointUnavailableError, UnsupportedItemError } from './call-health';
import { best, selectPassing } from './select';
import { absentEdgePhrases, reasoningBody, wordCount } from './text';
import { REFINEMENT_STRATEGIES, passedAll, type RefinementStrategy, type Teacher, type Trajectory } from './types';
import type { Verifier } from './verify';

export interface PipelineOptions {
  /** candidates per question (pass@k) */
  k: number;
  /** refinement rounds for items with no passing candidate */
  rounds: number;
  seed: number;
  signal?: AbortSignal;
  /** clock for createdAt (tests pin it) */
  now?: () => string;
  /** where each call's success or failure is counted (runAll passes one) */
  health?: CallHealth;
}

export interface ItemResult {
  question: QuestionRecord;
  /** the teacher wrote nothing for this item on purpose (Teacher.cannotWrite): why; pass rates leave it out */
  skipped?: { kind: string; reason: string };
  trajectories: Trajectory[];
  /** failed teacher calls, in words; nothing was stored for them */
  errors: string[];
  passAt1: boolean;
  passAtK: boolean;
  afterRefinement: boolean;
  selected: Trajectory | null;
}

export function strategyOfRound(round: number): RefinementStrategy {
  return REFINEMENT_STRATEGIES[(round - 1) % REFINEMENT_STRATEGIES.length]!;
}

export async function runItem(q: QuestionRecord, teacher: Teacher, verifier: Verifier, opts: PipelineOptions): Promise<ItemResult> {
  const now = opts.now ?? (() => new Date().toISOString());
  throwIfAborted(opts.signal);
  const skip = teacher.cannotWrite?.(q) ?? null;
  if (skip) {
    opts.health?.unsupported(skip.reason);
    return { question: q, trajectories: [], errors: [], passAt1: false, passAtK: false, afterRefinement: false, selected: null, skipped: skip };
  }
  const trajectories: Trajectory[] = [];
  const errors: string[] = [];
  const attempt = async (round: number, candidate: number, refinesT?: Trajectory): Promise<Trajectory | null> => {
    throwIfAborted(opts.signal);
    const strategy = round === 0 ? 'initial' : strategyOfRound(round);
    let text: string;
    const req = {
      question: q,
      round,
      candidate,
      seed: opts.seed,
      ...(refinesT && strategy !== 'initial' ? { refinement: { strategy, previous: refinesT.text, failed: refinesT.checks.filter((c) => !c.passed) } } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
    try {
      text = await teacher.generate(req);
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      const msg = (e as Error).message;
      // an item this teacher cannot write for says nothing about whether the teacher works
      if (e instanceof UnsupportedItemError) opts.health?.unsupported(msg);
      else opts.health?.failure(msg);
      errors.push(`round ${round} candidate ${candidate}: ${msg}`);
      return null;
    }
    opts.health?.success();
    const v = verifier.verify(q, text);
    const t: Trajectory = {
      id: `traj-${hash64(`${q.id}|${teacher.id}|${opts.seed}|${round}|${candidate}`)}`,
      questionId: q.id,
      text,
      teacher: teacher.id,
      round,
      candidate,
      strategy,
      ...(teacher.styleOf ? { style: teacher.styleOf(req) } : {}),
      checks: v.checks,
      claims: v.claims,
      unsupportedClaims: v.unsupportedClaims,
      mentions: v.mentions.map((m) => ({ start: m.start, end: m.end, ids: m.ids })),
      passed: passedAll(v.checks),
      selected: false,
      ...(refinesT ? { refines: refinesT.id } : {}),
      createdAt: now(),
    };
    trajectories.push(t);
    return t;
  };

  // the k candidates are independent: ask for them at once (an LLM teacher limits its own requests in flight)
  await Promise.all(Array.from({ length: opts.k }, (_, c) => attempt(0, c)));
  trajectories.sort((a, b) => a.candidate - b.candidate);
  const first = trajectories.find((t) => t.round === 0 && t.candidate === 0);
  const passAt1 = !!first?.passed;
  const passAtK = trajectories.some((t) => t.passed);
  for (let r = 1; r <= opts.rounds && !trajectories.some((t) => t.passed); r++) {
    await attempt(r, 0, best(trajectories) ?? undefined);
  }
  const selected = selectPassing(trajectories);
  if (selected) selected.selected = true;
  return { question: q, trajectories, errors, passAt1, passAtK, afterRefinement: !!selected, selected };
}

export interface RunSummary {
  /** items run, skipped ones included */
  n: number;
  /** items the teacher wrote nothing for on purpose (Teacher.cannotWrite), by kind; the rates below are over the other n − skipped */
  skipped: number;
  skippedKinds: Record<string, number>;
  passAt1: number;
  passAtK: number;
  afterRefinement: number;
  /** relations asserted by any stored trajectory that the KG does not support */
  unsupportedClaims: number;
  trajectories: number;
  failedCalls: number;
  /** per check: how many stored trajectories failed it */
  failedChecks: Record<string, number>;
  /** styles of the selected trajectories (teachers with named styles) */
  selectedStyles: Record<string, number>;
  /** negative statements in the selected trajectories (each supported only as an informative absence) */
  selectedNegatives: number;
  /** phrasings in the selected trajectories that argue from what the graph lists ("not among the recorded …"); verification fails them, so 0 */
  selectedAbsentEdgePhrasings: number;
  /** mean words of the selected trajectories' reasoning */
  selectedMeanWords: number;
  /** trajectory coverage per question type: items, items with a selected trajectory, items skipped (review N7: a type the teacher cannot write for shows here) */
  coveragePerType: Record<string, { items: number; selected: number; skipped: number }>;
}

export interface RunHooks {
  /** items run at once (an LLM teacher limits its own requests further) */
  concurrency?: number;
  /** called as each item finishes (e.g. to save it); awaited before that lane takes the next item */
  onItem?: (r: ItemResult, done: number, total: number) => void | Promise<void>;
}

/**
 * Runs every question; results keep the input order. When `opts.signal` aborts, no new
 * item starts, the items in flight are dropped, and what finished is returned with
 * `cancelled: true`. Throws EndpointUnavailableError when no teacher call succeeded
 * (checked after the first few failures, so a dead server does not cost a timeout per item).
 */
export async function runAll(
  questions: QuestionRecord[],
  teacher: Teacher,
  verifier: Verifier,
  opts: PipelineOptions,
  hooks: RunHooks = {},
): Promise<{ results: ItemResult[]; summary: RunSummary; cancelled: boolean }> {
  const health = opts.health ?? new CallHealth(Math.max(8, opts.k));
  const results = await runInLanes(questions, (q, signal) => runItem(q, teacher, verifier, { ...opts, signal, health }), {
    concurrency: hooks.concurrency ?? 1,
    health,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(hooks.onItem ? { onItem: hooks.onItem } : {}),
  });
  if (health.hopeless || (health.allFailed && !opts.signal?.aborted)) throw health.error(`Teacher ${teacher.id}`);
  if (health.ok === 0 && health.failed === 0 && health.unsupportedItems > 0 && !opts.signal?.aborted) {
    throw new EndpointUnavailableError(`Teacher ${teacher.id} cannot write for any of these ${questions.length} question(s); nothing was stored. ${health.firstUnsupported}`);
  }
  const finished = results.filter((r): r is ItemResult => r !== undefined);
  return { results: finished, summary: summarize(finished), cancelled: !!opts.signal?.aborted && finished.length < questions.length };
}

export function summarize(all: ItemResult[]): RunSummary {
  const n = all.length;
  const results = all.filter((r) => !r.skipped);
  const skippedKinds: Record<string, number> = {};
  for (const r of all) if (r.skipped) skippedKinds[r.skipped.kind] = (skippedKinds[r.skipped.kind] ?? 0) + 1;
  const m = results.length;
  const rate = (f: (r: ItemResult) => boolean) => (m ? Math.round((results.filter(f).length / m) * 1e4) / 1e4 : 0);
  const failedChecks: Record<string, number> = {};
  let unsupported = 0;
  let trajectories = 0;
  let failedCalls = 0;
  for (const r of results) {
    failedCalls += r.errors.length;
    for (const t of r.trajectories) {
      trajectories++;
      unsupported += t.unsupportedClaims;
      for (const c of t.checks) if (!c.passed) failedChecks[c.name] = (failedChecks[c.name] ?? 0) + 1;
    }
  }
  const selectedStyles: Record<string, number> = {};
  let selectedNegatives = 0;
  let selectedAbsentEdgePhrasings = 0;
  let words = 0;
  let selected = 0;
  for (const r of results) {
    if (!r.selected) continue;
    selected++;
    if (r.selected.style) selectedStyles[r.selected.style] = (selectedStyles[r.selected.style] ?? 0) + 1;
    selectedNegatives += r.selected.claims.filter((c) => !c.positive).length;
    const body = reasoningBody(r.selected.text);
    selectedAbsentEdgePhrasings += absentEdgePhrases(body).length;
    words += wordCount(body);
  }
  const coveragePerType: RunSummary['coveragePerType'] = {};
  for (const r of all) {
    const c = (coveragePerType[r.question.type ?? 'unknown'] ??= { items: 0, selected: 0, skipped: 0 });
    c.items++;
    if (r.skipped) c.skipped++;
    else if (r.selected) c.selected++;
  }
  return {
    n,
    skipped: n - m,
    skippedKinds,
    passAt1: rate((r) => r.passAt1),
    passAtK: rate((r) => r.passAtK),
    afterRefinement: rate((r) => r.afterRefinement),
    unsupportedClaims: unsupported,
    trajectories,
    failedCalls,
    failedChecks,
    selectedStyles,
    selectedNegatives,
    selectedAbsentEdgePhrasings,
    selectedMeanWords: selected ? Math.round((words / selected) * 10) / 10 : 0,
    coveragePerType,
  };
}

function throwIfAborted(signal?: AbortSignal) {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('The run was cancelled', 'AbortError');
}
