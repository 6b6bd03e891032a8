import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { Synthesizer } from './engine';
import type { NodeRef, QuestionRecord, Triple } from './record';
import { synthesize } from './run';
import { QUESTION_TYPES, templateByType } from './templates';
import { defaultGraph } from './test-helpers';
import { containsName, normalizeText } from './text';

let kg: KnowledgeGraph;
beforeAll(async () => {
  kg = await defaultGraph();
});

/** The KG's answer, read straight from the graph API (not through the engine). */
function edgeExists(t: Triple): boolean {
  const h = kg.findById(t.head.id);
  const tl = kg.findById(t.tail.id);
  const rel = kg.edgeTypeIndex(t.relation);
  if (h < 0 || tl < 0 || rel < 0) return false;
  if (kg.neighbours(h, rel, 'out').includes(tl)) return true;
  return t.relation === 'resembles' && kg.neighbours(tl, rel, 'out').includes(h);
}

const sameRef = (a: NodeRef, b: NodeRef) => a.id === b.id;
const swap = (t: Triple, from: NodeRef, to: NodeRef): Triple => ({
  head: sameRef(t.head, from) ? to : t.head,
  relation: t.relation,
  tail: sameRef(t.tail, from) ? to : t.tail,
});
const tripleKey = (t: Triple) => `${t.head.id}|${t.relation}|${t.tail.id}`;

function checkItem(r: QuestionRecord) {
  const p = r.provenance!;
  const letters = Object.keys(r.options);
  expect(letters.length).toBe(p.features.optionCount);
  expect(r.options[r.answer_idx]).toBe(r.answer);
  expect(p.answer_node.name).toBe(r.answer);
  // no option repeats; no stem names its answer
  const normalized = Object.values(r.options).map(normalizeText);
  expect(new Set(normalized).size, r.id).toBe(normalized.length);
  expect(containsName(r.question, r.answer), r.question).toBe(false);
  // every evidence triple exists in the graph, and the shown ones are in the stem
  expect(p.evidence.length).toBeGreaterThan(0);
  for (const e of p.evidence) expect(edgeExists(e), tripleKey(e)).toBe(true);
  const shown = p.evidence.filter((e) => e.shown);
  expect(shown.length).toBeGreaterThan(0);
  const t = templateByType(r.type);
  const answerSide = t.chain.length === 0 ? p.answer_node : anchorOf(p.evidence);
  for (const e of shown) {
    const other = sameRef(e.head, answerSide) ? e.tail : e.head;
    expect(normalizeText(r.question).includes(normalizeText(other.name)), `${other.name} in "${r.question}"`).toBe(true);
  }
  // distractors: the answer's type, each contradicted by its stored fact
  expect(p.distractors.length).toBe(letters.length - 1);
  const shownKeys = new Set(shown.map(tripleKey));
  for (const d of p.distractors) {
    expect(d.type).toBe(p.answer_node.type);
    expect(Object.values(r.options)).toContain(d.name);
    const f = d.contradicted_by;
    expect(edgeExists(f), `${d.name}: ${tripleKey(f)}`).toBe(f.holds);
    if (f.holds) {
      // a fact the KG asserts of the distractor that conflicts with the stem (contraindication items)
      expect(sameRef(f.head, d) || sameRef(f.tail, d)).toBe(true);
      expect(t.contradiction).toBe('conflicting-fact');
      expect(f.relation).toBe(t.conflictRel);
    } else if (t.chain.length === 0) {
      // the distractor lacks a shown fact that the answer has
      expect(sameRef(f.head, d) || sameRef(f.tail, d)).toBe(true);
      expect(shownKeys.has(tripleKey(swap(f, d, p.answer_node))), `${tripleKey(f)} vs shown`).toBe(true);
    } else {
      // the competing hidden node on the distractor's path lacks a shown fact of the true hidden node
      const via = d.via!;
      expect(via.length).toBe(t.chain.length);
      for (const v of via) expect(edgeExists(v)).toBe(true);
      const last = via[via.length - 1]!;
      expect(sameRef(last.head, d) || sameRef(last.tail, d)).toBe(true);
      const competitor = sameRef(f.head, via[0]!.head) || sameRef(f.head, via[0]!.tail) ? f.head : f.tail;
      expect(sameRef(via[0]!.head, competitor) || sameRef(via[0]!.tail, competitor)).toBe(true);
      expect(shownKeys.has(tripleKey(swap(f, competitor, anchorOf(p.evidence)))), `${tripleKey(f)} vs shown`).toBe(true);
    }
  }
}

/** the hidden anchor of a multi-hop item: the node every evidence triple shares */
function anchorOf(evidence: Triple[]): NodeRef {
  const ev = evidence.filter((e) => (e as { role?: string }).role === 'evidence');
  const first = ev[0]!;
  return ev.every((e) => sameRef(e.head, first.head) || sameRef(e.tail, first.head)) ? first.head : first.tail;
}

describe('question synthesis on the default graph', () => {
  it.each(QUESTION_TYPES)('%s yields verified items whose facts the KG confirms', (type) => {
    const n = type === 'contraindicated' ? 12 : 40;
    const { records, summary } = synthesize(kg, 'default', { n, seed: 7, alpha: 1, types: [type] });
    expect(records.length).toBe(n);
    expect(summary.perType[type]).toBe(n);
    const hops = templateByType(type).chain.length + 1;
    for (const r of records) {
      expect(r.type).toBe(type);
      expect(r.source).toBe('synthetic');
      expect(r.status).toBe('pending');
      expect(r.provenance!.hops).toBe(hops);
      checkItem(r);
    }
  });

  it('the same seed gives the same items; another seed gives others', () => {
    const a = synthesize(kg, 'default', { n: 300, seed: 42, alpha: 1 }).records;
    const b = synthesize(kg, 'default', { n: 300, seed: 42, alpha: 1 }).records;
    const c = synthesize(kg, 'default', { n: 300, seed: 43, alpha: 1 }).records;
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const ids = new Set(a.map((r) => r.id));
    expect(c.filter((r) => ids.has(r.id)).length).toBeLessThan(150);
  });

  it('covers hops 1 to 4, fills all three tiers, keeps features that explain the tier', () => {
    const { records, summary } = synthesize(kg, 'default', { n: 1000, seed: 3, alpha: 1 });
    expect(new Set(records.map((r) => r.provenance!.hops))).toEqual(new Set([1, 2, 3, 4]));
    for (const tier of ['easy', 'moderate', 'difficult'] as const) expect(summary.perDifficulty[tier]).toBeGreaterThan(100);
    const ids = new Set(records.map((r) => r.id));
    expect(ids.size).toBe(records.length);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const score = (tier: string) => mean(records.filter((r) => r.difficulty === tier).map((r) => r.provenance!.features.score));
    expect(score('easy')).toBeLessThan(score('moderate'));
    expect(score('moderate')).toBeLessThan(score('difficult'));
  });

  it('withholds evidence when asked (partial information) and counts it as a feature', () => {
    const none = synthesize(kg, 'default', { n: 150, seed: 5, alpha: 1, types: ['diagnosis'], dropProbability: 0 }).records;
    const some = synthesize(kg, 'default', { n: 150, seed: 5, alpha: 1, types: ['diagnosis'], dropProbability: 0.6 }).records;
    expect(none.every((r) => r.provenance!.features.evidenceDropped === 0)).toBe(true);
    const dropped = some.filter((r) => r.provenance!.features.evidenceDropped > 0);
    expect(dropped.length).toBeGreaterThan(20);
    for (const r of dropped) {
      const hidden = r.provenance!.evidence.filter((e) => e.role === 'evidence' && !e.shown);
      expect(hidden.length).toBe(r.provenance!.features.evidenceDropped);
      expect(r.provenance!.features.evidenceShown).toBe(r.provenance!.evidence.filter((e) => e.shown).length);
    }
  });

  it('honours the option count from 3 to 10', () => {
    for (const k of [3, 6]) {
      const { records } = synthesize(kg, 'default', { n: 30, seed: 9, alpha: 1, optionCount: k, types: ['diagnosis', 'two_hop_treatment'] });
      expect(records.length).toBe(30);
      for (const r of records) {
        expect(Object.keys(r.options)).toEqual('ABCDEFGHIJ'.slice(0, k).split(''));
        checkItem(r);
      }
    }
    expect(() => new Synthesizer(kg, 'default', { n: 1, seed: 1, alpha: 1, optionCount: 11 })).toThrow(/optionCount must be an integer from 3 to 10/);
    expect(() => new Synthesizer(kg, 'default', { n: 1, seed: 1, alpha: 1, types: ['nope'] })).toThrow(/unknown question type "nope"/);
  });

  it('long-tail priority shifts answers toward rare entities', () => {
    const uniform = synthesize(kg, 'default', { n: 800, seed: 11, alpha: 0 }).summary;
    const tail = synthesize(kg, 'default', { n: 800, seed: 11, alpha: 1 }).summary;
    expect(uniform.rareAnswerShare).toBeCloseTo(uniform.rareAnswerShareUniform, 6);
    expect(tail.rareAnswerShare).toBeGreaterThan(tail.rareAnswerShareUniform * 1.3);
  });

  it('counts the reason of every dropped draft', () => {
    const s = new Synthesizer(kg, 'default', { n: 300, seed: 2, alpha: 1 });
    let n = 0;
    for (const _ of s.generate()) n++;
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
    expect(n + dropped).toBe(s.attempts);
    expect(s.dropped.near_duplicate_stem + s.dropped.no_valid_distractors).toBeGreaterThan(0);
  });
});
