import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { edgeMaskIndex, isStrongMask, policyFor } from './edge-trust';
import { Synthesizer, type SynthesisSettings } from './engine';
import { inSentence, looksInverted, optionName } from './names';
import { anatomyPhrase, findingPhrase } from './lexicon';
import type { QuestionRecord, Triple } from './record';
import { synthesize } from './run';
import { QUESTION_TYPES, templateByType, templateHops } from './templates';
import { defaultGraph } from './test-helpers';
import { normalizeText } from './text';

let kg: KnowledgeGraph;
beforeAll(async () => {
  kg = await defaultGraph();
});

function generate(settings: SynthesisSettings): { records: QuestionRecord[]; s: Synthesizer } {
  const s = new Synthesizer(kg, 'default', settings);
  return { records: [...s.generate()], s };
}

/** The KG's answer, read straight from the graph API (not through the engine). */
function edgeExists(t: Triple): boolean {
  const h = kg.findById(t.head.id);
  const tl = kg.findById(t.tail.id);
  const rel = kg.edgeTypeIndex(t.relation);
  if (h < 0 || tl < 0 || rel < 0) return false;
  if (kg.neighbours(h, rel, 'out').includes(tl)) return true;
  return t.relation === 'resembles' && kg.neighbours(tl, rel, 'out').includes(h);
}

const masks = new Map<string, (h: number, t: number) => number>();
function strong(t: Triple): boolean {
  const rel = kg.edgeTypeIndex(t.relation);
  let idx = masks.get(t.relation);
  if (!idx) masks.set(t.relation, (idx = edgeMaskIndex(kg, rel)));
  return isStrongMask(idx(kg.findById(t.head.id), kg.findById(t.tail.id)), kg.datasets.map((d) => d.id), policyFor(t.relation));
}

function checkItem(r: QuestionRecord) {
  const p = r.provenance!;
  const letters = Object.keys(r.options);
  expect(letters.length).toBe(p.features.optionCount);
  expect(r.options[r.answer_idx]).toBe(r.answer);
  expect(r.answer).toBe(optionName(p.answer_node.name));
  const normalized = Object.values(r.options).map(normalizeText);
  expect(new Set(normalized).size, r.id).toBe(normalized.length);
  expect(r.question, r.id).toMatch(/^[A-Z]/);
  for (const o of Object.values(r.options)) expect(looksInverted(o), o).toBe(false);
  // every evidence triple exists in the graph; the shown ones are in the stem and rest on strong edges
  expect(p.evidence.length).toBeGreaterThan(0);
  for (const e of p.evidence) expect(edgeExists(e), `${e.head.name} ${e.relation} ${e.tail.name}`).toBe(true);
  const shown = p.evidence.filter((e) => e.shown);
  expect(shown.length).toBeGreaterThan(0);
  const t = templateByType(r.type);
  for (const e of shown) {
    const other = e.head.id === p.answer_node.id ? e.tail : e.head.id === shown[0]!.head.id && t.stem === 'picture' ? e.tail : e.head;
    // a finding is shown as a clinician writes it (lexicon.ts: "pharynx inflammation" → "pharyngitis")
    const shownAs = other.type === 'symptom' ? findingPhrase(other.name) : other.type === 'anatomy' ? anatomyPhrase(other.name) : other.name;
    expect(normalizeText(r.question).includes(normalizeText(inSentence(shownAs))), `${other.name} in "${r.question}"`).toBe(true);
  }
  // the key: strong edges all the way (evidence and chain)
  for (const e of p.evidence.filter((x) => x.shown || x.role === 'chain')) if (e.relation !== 'in_specialty') expect(strong(e), `${r.type}: weak ${e.head.name} ${e.relation} ${e.tail.name}`).toBe(true);
  // distractors: the answer's type, each with stored reasons that the KG confirms, at least one positive
  expect(p.distractors.length).toBe(letters.length - 1);
  for (const d of p.distractors) {
    expect(d.type).toBe(p.answer_node.type);
    expect(Object.values(r.options)).toContain(optionName(d.name));
    expect(d.reasons?.length, d.name).toBeGreaterThan(0);
    expect(d.reasons!.some((x) => x.fact.holds), `${d.name}: no positive reason`).toBe(true);
    for (const x of d.reasons!) {
      if (x.kind !== 'separate') expect(edgeExists(x.fact), x.text).toBe(x.fact.holds);
      expect(x.text.length).toBeGreaterThan(10);
    }
    expect(edgeExists(d.contradicted_by)).toBe(d.contradicted_by.holds);
    for (const v of d.via ?? []) expect(edgeExists(v)).toBe(true);
  }
}

describe('question synthesis on the default graph', () => {
  it.each(QUESTION_TYPES)('%s yields verified items whose facts the KG confirms', (type) => {
    // the types off by default yield a trickle when asked for by name (templates.ts OFF_BY_DEFAULT)
    // a few types have small pools once every key and option is held to the trust bar (contraindicated: agreed NOT
    // rows; the picture types: a disease is pictured at most 2 times per 1,000 items, at least once, so a short run
    // gets one item per disease, and two_hop_treatment / causative_agent have only a handful of diseases)
    // (causative_agent: an organism whose any disease may present the picture is no option since review round 3, N8)
    // (contraindicated: one item per disease per 1,000 items and no twin option sets since review round 4, N15)
    // (two_hop_treatment, target_pathway: since the findings of DO's definitions, more diseases may present a picture, so
    // fewer pictures single out one disease; target_pathway, off by default, then has none on the default graph and says so;
    // the picture types: since review round 5, signs with many causes in life — urticaria, hepatosplenomegaly, wheeze — tell no diagnosis)
    const n = { diagnosis: 15, contraindicated: 6, causative_agent: 3, two_hop_treatment: 2, target_pathway: 1, presentation_class: 1 }[type] ?? 20;
    const made = { target_pathway: 0 }[type] ?? n;
    const { records, s } = generate({ n, seed: 7, alpha: 1, types: [type] });
    expect(records.length).toBe(made);
    expect(s.perType[type] ?? 0).toBe(made);
    if (made < n) {
      expect(s.shortfall().perType[type]).toBe(n - made);
      expect(Object.values(s.droppedPerType[type] ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    }
    for (const r of records) {
      expect(r.type).toBe(type);
      expect(r.source).toBe('synthetic');
      expect(r.status).toBe('pending');
      expect(r.provenance!.hops).toBe(templateHops(templateByType(type)));
      checkItem(r);
    }
  });

  it('the same seed gives the same items; another seed gives others', () => {
    const a = generate({ n: 120, seed: 42, alpha: 1 }).records;
    const b = generate({ n: 120, seed: 42, alpha: 1 }).records;
    const c = generate({ n: 120, seed: 43, alpha: 1 }).records;
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const ids = new Set(a.map((r) => r.id));
    expect(c.filter((r) => ids.has(r.id)).length).toBeLessThan(60);
  });

  it('covers hops 1 and 2 by default and gives every type with enough items all three tiers, explained by stored features', () => {
    const { records } = generate({ n: 700, seed: 3, alpha: 1 });
    // 3 and 4 hops are the off-by-default types (presentation_class, target_pathway), asked for by name in the test above
    expect(new Set(records.map((r) => r.provenance!.hops))).toEqual(new Set([1, 2]));
    const byType = new Map<string, QuestionRecord[]>();
    for (const r of records) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
    for (const [type, rs] of byType) {
      if (rs.length < 30) continue;
      for (const tier of ['easy', 'moderate', 'difficult'] as const) expect(rs.filter((r) => r.difficulty === tier).length, `${type} ${tier}`).toBeGreaterThan(0);
      for (const r of rs) {
        const f = r.provenance!.features;
        const [lo, hi] = f.tierCuts!;
        expect(r.difficulty).toBe(f.score >= hi ? 'difficult' : f.score >= lo ? 'moderate' : 'easy');
        expect(Object.values(f.scoreParts!).reduce((a, b) => a + b, 0)).toBeCloseTo(f.score, 3);
      }
    }
  });

  it('withholds evidence when asked (partial information) and counts it as a feature', () => {
    const none = generate({ n: 40, seed: 5, alpha: 1, types: ['diagnosis'], dropProbability: 0 }).records;
    const some = generate({ n: 40, seed: 5, alpha: 1, types: ['diagnosis'], dropProbability: 0.6 }).records;
    const shownMean = (rs: QuestionRecord[]) => rs.reduce((a, r) => a + r.provenance!.features.evidenceShown, 0) / rs.length;
    expect(shownMean(some)).toBeLessThan(shownMean(none));
    for (const r of some) {
      const hidden = r.provenance!.evidence.filter((e) => e.role === 'evidence' && !e.shown);
      expect(hidden.length).toBe(r.provenance!.features.evidenceDropped);
      expect(r.provenance!.features.evidenceShown).toBe(r.provenance!.evidence.filter((e) => e.shown).length);
    }
  });

  it('honours the option count from 3 to 10', () => {
    for (const k of [3, 6]) {
      const { records } = generate({ n: 12, seed: 9, alpha: 1, optionCount: k, types: ['diagnosis', 'mechanism'] });
      expect(records.length).toBe(12);
      for (const r of records) {
        expect(Object.keys(r.options)).toEqual('ABCDEFGHIJ'.slice(0, k).split(''));
        checkItem(r);
      }
    }
    expect(() => new Synthesizer(kg, 'default', { n: 1, seed: 1, alpha: 1, optionCount: 11 })).toThrow(/optionCount must be an integer from 3 to 10/);
    expect(() => new Synthesizer(kg, 'default', { n: 1, seed: 1, alpha: 1, types: ['nope'] })).toThrow(/unknown question type "nope"/);
  });

  it('long-tail priority shifts answers toward rare entities', () => {
    const uniform = synthesize(kg, 'default', { n: 300, seed: 11, alpha: 0 }).summary;
    const tail = synthesize(kg, 'default', { n: 300, seed: 11, alpha: 1 }).summary;
    expect(uniform.rareAnswerShare).toBeCloseTo(uniform.rareAnswerShareUniform, 6);
    // rare = below the median degree of the answers a type can use; acceptance damps the shift (see synth.test.ts):
    // the open-world checks turn down more drafts on rare answers, and a picture type asks about a disease at most 3 times
    expect(tail.rareAnswerShare).toBeGreaterThan(tail.rareAnswerShareUniform * 1.1);
  });

  it('counts the reason of every dropped draft and of every turned-down distractor', () => {
    const { records, s } = generate({ n: 150, seed: 2, alpha: 1 });
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
    expect(records.length + dropped).toBe(s.attempts);
    expect(s.dropped.no_valid_distractors).toBeGreaterThan(0);
    expect(Object.keys(s.judges.rejected).length).toBeGreaterThan(3);
  });

  it('keys never rest on an excluded dataset, and an unknown dataset is named', () => {
    const { records } = generate({ n: 20, seed: 4, alpha: 1, types: ['treatment'], excludeDatasets: ['pharmacotherapydb'] });
    const ids = kg.datasets.map((d) => d.id);
    const idx = edgeMaskIndex(kg, kg.edgeTypeIndex('treats'));
    for (const r of records) {
      const e = r.provenance!.evidence[0]!;
      const mask = idx(kg.findById(e.head.id), kg.findById(e.tail.id));
      expect(isStrongMask(mask, ids, policyFor('treats'), new Set(['pharmacotherapydb'])), `${e.head.name} treats ${e.tail.name}`).toBe(true);
    }
    expect(() => new Synthesizer(kg, 'default', { n: 1, seed: 1, alpha: 1, excludeDatasets: ['astrology'] })).toThrow(/no dataset "astrology"/);
  });
});
