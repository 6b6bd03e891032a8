import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import type { QuestionRecord } from '../synthesis/record';
import { defaultGraph } from '../synthesis/test-helpers';
import { EndpointUnavailableError } from './call-health';
import { KgTeacher } from './kg-teacher';
import { runAll, runItem } from './pipeline';
import { buildMessages } from './prompt';
import { wordCount } from './text';
import { questionsOfEveryType } from './test-fixtures';
import type { Teacher, TeacherRequest } from './types';
import { Verifier } from './verify';

let kg: KnowledgeGraph;
let verifier: Verifier;
let kgTeacher: KgTeacher;
let questions: QuestionRecord[];

let all: QuestionRecord[];

beforeAll(async () => {
  kg = await defaultGraph();
  verifier = new Verifier(kg);
  kgTeacher = new KgTeacher(kg);
  all = questionsOfEveryType(kg, 3, 8);
  // the items the KG teacher writes for (it skips one with an option it has no positive reason against)
  questions = all.filter((q) => kgTeacher.cannotWrite(q) === null);
}, 120_000);

/** A teacher that replays a script: one function per call, given the request. */
class ScriptedTeacher implements Teacher {
  readonly id = 'scripted';
  readonly requests: TeacherRequest[] = [];
  constructor(private readonly script: ((req: TeacherRequest) => string)[]) {}
  async generate(req: TeacherRequest): Promise<string> {
    this.requests.push(req);
    const step = this.script[this.requests.length - 1];
    if (!step) throw new Error('script exhausted');
    return step(req);
  }
}

// one style for every call (the KG teacher varies its style by candidate), so lengths compare like with like
const good = (req: TeacherRequest) => kgTeacher.write({ ...req, candidate: 0, refinement: undefined! });
const wrongLetter = (req: TeacherRequest) => good(req).replace(/<answer>[A-J]<\/answer>$/, `<answer>${Object.keys(req.question.options).find((l) => l !== req.question.answer_idx)}</answer>`);
const broken = (req: TeacherRequest) => good(req).replace('</think>', '');
const opts = { k: 2, rounds: 3, seed: 1, now: () => '2026-01-01T00:00:00.000Z' };

describe('pass@k and refinement', () => {
  it('keeps passing candidates; a padded one (over the brevity band) is not selected', async () => {
    const q = questions[0]!;
    const same = (req: TeacherRequest) => good({ ...req, candidate: 0 });
    // over twice as long, still within the length check
    const padding = ' In summary, the evidence is consistent with the answer given above.'.repeat(Math.ceil(wordCount(same({ question: q, round: 0, candidate: 0, seed: 1 })) / 10) + 1);
    const long = (req: TeacherRequest) => same(req).replace('</think>', `${padding}</think>`);
    const t = new ScriptedTeacher([long, same, broken]);
    const r = await runItem(q, t, verifier, { ...opts, k: 3 });
    expect(r.trajectories.map((x) => x.passed)).toEqual([true, true, false]);
    expect(r.passAt1).toBe(true);
    expect(r.selected?.candidate).toBe(1); // the other passing one is more than twice as long
    expect(r.trajectories.filter((x) => x.selected)).toHaveLength(1);
    expect(r.trajectories.every((x) => x.round === 0)).toBe(true);
  });

  it('refinement turns a failing item into a passing one; each round is stored and names the failed checks', async () => {
    const q = questions[3]!;
    const t = new ScriptedTeacher([wrongLetter, broken, broken, good]);
    const r = await runItem(q, t, verifier, opts);
    expect(r.passAt1).toBe(false);
    expect(r.passAtK).toBe(false);
    expect(r.afterRefinement).toBe(true);
    expect(r.trajectories.map((x) => [x.round, x.strategy, x.passed])).toEqual([
      [0, 'initial', false],
      [0, 'initial', false],
      [1, 'backtracking', false],
      [2, 'path_exploration', true],
    ]);
    expect(r.selected?.round).toBe(2);
    // round 1 refines the best failing candidate (the wrong letter passes more checks than the broken format)
    const r1 = t.requests[2]!;
    expect(r1.refinement?.strategy).toBe('backtracking');
    expect(r1.refinement?.previous).toBe(r.trajectories[0]!.text);
    expect(r1.refinement?.failed.map((c) => c.name)).toEqual(['answer']);
    // round 2 refines the best so far and names exactly that candidate's failed checks
    const r2 = t.requests[3]!.refinement!;
    const refined = r.trajectories.find((x) => x.text === r2.previous)!;
    expect(r2.failed.map((c) => c.name)).toEqual(refined.checks.filter((c) => !c.passed).map((c) => c.name));
    expect(r2.failed.length).toBeGreaterThan(0);
    expect(r.trajectories[2]!.refines).toBe(r.trajectories[0]!.id);
    // the prompt an LLM teacher would get names the failed check and the strategy
    const msgs = buildMessages(q, r1.refinement);
    expect(msgs.at(-1)!.content).toContain('- answer: answers');
    expect(msgs.at(-1)!.content).toContain('Backtracking');
    expect(msgs[1]!.content).toContain(`Correct answer: ${q.answer_idx}. ${q.answer}`);
  });

  it('stops after N rounds when nothing passes, every round stored', async () => {
    const q = questions[5]!;
    const t = new ScriptedTeacher(Array(10).fill(wrongLetter));
    const r = await runItem(q, t, verifier, { ...opts, rounds: 3 });
    expect(r.afterRefinement).toBe(false);
    expect(r.selected).toBeNull();
    expect(r.trajectories.map((x) => x.strategy)).toEqual(['initial', 'initial', 'backtracking', 'path_exploration', 'self_correction']);
  });

  it('a failed teacher call stores nothing and the run goes on', async () => {
    const q = questions[1]!;
    const fail = () => {
      throw new Error('HTTP 500');
    };
    const t = new ScriptedTeacher([fail, good]);
    const r = await runItem(q, t, verifier, opts);
    expect(r.trajectories).toHaveLength(1);
    expect(r.trajectories[0]!.candidate).toBe(1);
    expect(r.errors).toEqual(['round 0 candidate 0: HTTP 500']);
    expect(r.passAt1).toBe(false);
    expect(r.passAtK).toBe(true);
  });

  it('cancellation stops the run and keeps the items that finished', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(runItem(questions[0]!, kgTeacher, verifier, { ...opts, signal: ctl.signal })).rejects.toThrow();
    const ctl2 = new AbortController();
    const { results, summary, cancelled } = await runAll(questions, kgTeacher, verifier, { ...opts, signal: ctl2.signal }, { onItem: (_, done) => (done === 3 ? ctl2.abort() : undefined) });
    expect(cancelled).toBe(true);
    expect(results.map((r) => r.question.id)).toEqual(questions.slice(0, 3).map((q) => q.id));
    expect(summary.n).toBe(3);
  });

  it('runs many items with the KG teacher: every item it writes for passes, no unsupported claims; the others are skipped and counted', async () => {
    const { results, summary } = await runAll(all, kgTeacher, verifier, { ...opts, k: 4 }, { concurrency: 3 });
    expect(results.map((r) => r.question.id)).toEqual(all.map((q) => q.id));
    const skipped = all.length - questions.length;
    expect(summary).toMatchObject({ n: all.length, skipped, passAt1: 1, passAtK: 1, afterRefinement: 1, unsupportedClaims: 0, trajectories: 4 * questions.length, failedCalls: 0, selectedAbsentEdgePhrasings: 0 });
    expect(Object.values(summary.skippedKinds).reduce((a, b) => a + b, 0)).toBe(skipped);
    // a skipped item has no trajectories and says why
    for (const r of results.filter((x) => x.skipped)) {
      expect(r.trajectories).toEqual([]);
      expect(r.skipped!.reason).toMatch(/no positive clinical reason|asserted only weakly|not in this graph/);
    }
  });

  it('the selected chains are not all one style (shortest-wins selected "compact" for 2,986 of 3,000 items)', async () => {
    const many = questionsOfEveryType(kg, 16, 31).filter((q) => kgTeacher.cannotWrite(q) === null);
    const { results } = await runAll(many, kgTeacher, verifier, { ...opts, k: 4, rounds: 0 });
    const styles: Record<string, number> = {};
    for (const r of results) if (r.selected) styles[r.selected.style!] = (styles[r.selected.style!] ?? 0) + 1;
    const n = results.filter((r) => r.selected).length;
    expect(n).toBeGreaterThan(many.length * 0.9);
    expect(Object.keys(styles).sort()).toEqual(['compact', 'elimination', 'evidence_first', 'hypothesis']);
    for (const c of Object.values(styles)) {
      expect(c / n).toBeGreaterThan(0.1);
      expect(c / n).toBeLessThan(0.45);
    }
  }, 60_000);
});

describe('a teacher that never works', () => {
  it('a run where every call failed is an error with advice, not a 0% result, and stops early', async () => {
    let calls = 0;
    const down: Teacher = {
      id: 'down',
      async generate() {
        calls++;
        throw new Error('http://127.0.0.1:9/v1/chat/completions: fetch failed');
      },
    };
    const many = Array.from({ length: 30 }, () => questions).flat().slice(0, 60);
    const err = await runAll(many, down, verifier, { ...opts, rounds: 0 }, { concurrency: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(EndpointUnavailableError);
    expect(err.message).toMatch(/^Teacher down: all \d+ calls failed, nothing was stored\. First error: .*fetch failed\. The server could not be reached/);
    expect(calls).toBeLessThan(many.length);
  });

  it('a run with one failed call of one question is also an error (nothing succeeded)', async () => {
    const t = new ScriptedTeacher([]);
    await expect(runAll(questions.slice(0, 1), t, verifier, { ...opts, k: 1, rounds: 0 })).rejects.toThrow(/all 1 call failed.*script exhausted/);
  });

  it('a run where some calls fail still returns its results', async () => {
    const t = new ScriptedTeacher([good, () => { throw new Error('HTTP 500'); }]);
    const { summary } = await runAll(questions.slice(0, 1), t, verifier, { ...opts, k: 2, rounds: 0 });
    expect(summary).toMatchObject({ n: 1, failedCalls: 1, trajectories: 1 });
  });

  it('the KG teacher on imported questions (no provenance): skipped items do not stop the run; only-imported is a clear error', async () => {
    const imported: QuestionRecord = { id: 'medqa-1', question: 'Which nerve supplies the deltoid?', options: { A: 'Axillary', B: 'Radial' }, answer_idx: 'A', answer: 'Axillary', difficulty: 'easy', type: 'exam', source: 'medqa', status: 'pending' };
    const many = [...Array.from({ length: 12 }, (_, i) => ({ ...imported, id: `medqa-${i}` })), ...questions.slice(0, 2)];
    const { results, summary } = await runAll(many, kgTeacher, verifier, { ...opts, rounds: 0 });
    expect(summary.n).toBe(14);
    expect(results.slice(12).every((r) => r.passAtK)).toBe(true);
    expect(results[0]!.errors[0]).toMatch(/needs synthesis provenance/);
    await expect(runAll([imported], kgTeacher, verifier, { ...opts, rounds: 0 })).rejects.toThrow(/cannot write for any of these 1 question\(s\).*use an LLM teacher/);
  });
});
