import { describe, expect, it } from 'vitest';
import { KnowledgeGraph } from '../graph/knowledge-graph';
import { packGraph } from '../graph/packed-graph';
import { smallGraphFile } from '../graph/test-graph.fixture';
import { plainPrompt } from '../training/task/prompt';
import { userPrompt } from './export/formats';
import { factSentence, openBookContext, recordEntities, splitByEntity, withContext } from './open-book';
import type { NodeRef, QuestionRecord, Triple } from './record';

const kg = new KnowledgeGraph(packGraph(smallGraphFile(), 'h', 'test'));
const n = (id: string, name: string, type = 'disease'): NodeRef => ({ id, name, type });
const asthma = n('DOID:2841', 'asthma');
const copd = n('DOID:3083', 'chronic obstructive pulmonary disease');
const allergic = n('DOID:1205', 'allergic disease');
const wheezing = n('SYMP:0000604', 'wheezing', 'symptom');
const albuterol = n('DrugCentral:100', 'albuterol', 'drug');

function diagnosis(id = 'q1'): QuestionRecord {
  return {
    id,
    question: 'Which allergic disease presents with wheezing?',
    options: { A: 'asthma', B: 'chronic obstructive pulmonary disease' },
    answer_idx: 'A',
    answer: 'asthma',
    difficulty: 'easy',
    type: 'diagnosis',
    source: 'synthetic',
    status: 'accepted',
    provenance: {
      graph: 'test',
      seed: 1,
      alpha: 1,
      metapath: 'disease',
      hops: 1,
      answer_node: asthma,
      evidence: [
        { head: asthma, relation: 'presents', tail: wheezing, shown: true, role: 'evidence' },
        { head: asthma, relation: 'is_a', tail: allergic, shown: true, role: 'evidence' },
      ],
      distractors: [{ ...copd, contradicted_by: { head: copd, relation: 'is_a', tail: allergic, holds: false }, via: [{ head: albuterol, relation: 'treats', tail: copd }] }],
      features: { hops: 1, evidenceShown: 2, evidenceDropped: 0, answerRarity: 0.5, answerDegree: 3, distractorOverlap: 0.5, optionCount: 2, score: 0.1 },
    },
  };
}

describe('open-book context', () => {
  it('writes facts as sentences with the KG labels', () => {
    expect(factSentence({ head: asthma, relation: 'presents', tail: wheezing }, kg)).toBe('asthma presents wheezing.');
    expect(factSentence({ head: albuterol, relation: 'treats', tail: copd })).toBe('albuterol treats chronic obstructive pulmonary disease.');
    expect(factSentence({ head: asthma, relation: 'odd_relation', tail: copd })).toBe('asthma odd relation chronic obstructive pulmonary disease.');
  });

  it('mixes the answer facts with facts leading to the distractors, including shared evidence from the KG', () => {
    const ctx = openBookContext(diagnosis(), { seed: 1, kg });
    expect(new Set(ctx)).toEqual(
      new Set([
        'asthma presents wheezing.',
        'asthma is a allergic disease.',
        // the distractor's via fact, and the stem evidence COPD also satisfies (found in the KG)
        'albuterol treats chronic obstructive pulmonary disease.',
        'chronic obstructive pulmonary disease presents wheezing.',
      ]),
    );
    // without the graph only the stored facts are used
    expect(openBookContext(diagnosis(), { seed: 1 })).toHaveLength(3);
  });

  it('is deterministic per seed and record, and the order varies with the seed', () => {
    const a = openBookContext(diagnosis(), { seed: 1, kg });
    expect(openBookContext(diagnosis(), { seed: 1, kg })).toEqual(a);
    const orders = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => openBookContext(diagnosis(), { seed: s, kg }).join('|')));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('never drops the answer facts when capping the context', () => {
    const ctx = openBookContext(diagnosis(), { seed: 3, kg, maxFacts: 2 });
    expect(new Set(ctx)).toEqual(new Set(['asthma presents wheezing.', 'asthma is a allergic disease.']));
  });

  it('reaches the prompts: plain style lists the facts first, the chat user turn under "Facts:"', () => {
    const r = withContext(diagnosis(), { seed: 1, kg });
    const plain = plainPrompt(r);
    expect(plain.split('\n').slice(0, 4).sort()).toEqual([...r.context!].sort());
    expect(plain).toContain('Which allergic disease presents with wheezing?\nA. asthma\nB. chronic obstructive pulmonary disease\n');
    expect(userPrompt(r)).toMatch(/^Facts:\n- .+\n- .+\n- .+\n- .+\n\nWhich allergic disease/);
    // closed-book records are unchanged
    expect(userPrompt(diagnosis())).toMatch(/^Which allergic disease/);
  });

  it('needs provenance', () => {
    const r = { ...diagnosis(), provenance: undefined };
    expect(() => openBookContext(r, { seed: 1 })).toThrow(/q1: open-book context needs the synthesis provenance/);
  });
});

describe('split by entity', () => {
  // a chain of records sharing entities pairwise, plus disjoint islands
  const rec = (i: number, ents: string[]): QuestionRecord => {
    const t = (a: string, b: string): Triple => ({ head: n(a, a), relation: 'is_a', tail: n(b, b) });
    const base = diagnosis(`r${i}`);
    return {
      ...base,
      provenance: {
        ...base.provenance!,
        answer_node: n(ents[0]!, ents[0]!),
        evidence: [{ ...t(ents[0]!, ents[1]!), shown: true, role: 'evidence' }],
        distractors: [{ ...n(ents[2]!, ents[2]!), contradicted_by: { ...t(ents[2]!, ents[1]!), holds: false } }],
      },
    };
  };
  const records = Array.from({ length: 60 }, (_, i) => rec(i, [`a${i}`, `hub${i % 10}`, `d${i}`]));

  it('strict (no hubs): shares no entity between held-out and training items', () => {
    const s = splitByEntity(records, { heldoutShare: 0.2, seed: 5, hubShare: 1 });
    expect(s.hubs).toEqual([]);
    expect(s.heldout.length).toBe(12);
    const held = new Set(s.heldoutEntities);
    for (const r of s.train) for (const e of recordEntities(r)) expect(held.has(e)).toBe(false);
    for (const r of s.heldout) for (const e of recordEntities(r)) expect(held.has(e)).toBe(true);
    expect(s.train.length + s.heldout.length + s.dropped.length).toBe(60);
    // the cluster follows shared entities: 12 items over 2 hubs of 6 items each, nothing lost
    expect(s.dropped.length).toBe(0);
  });

  it('hub entities (in many items) are shared; every other held-out entity is unseen in training', () => {
    // one entity in every item: strictly, nothing could be trained on
    const withHub = records.map((r) => ({ ...r, provenance: { ...r.provenance!, evidence: [...r.provenance!.evidence, { head: n('common', 'common'), relation: 'is_a', tail: n('root', 'root'), shown: false, role: 'chain' as const }] } }));
    expect(splitByEntity(withHub, { heldoutShare: 0.2, seed: 5, hubShare: 1 }).train).toEqual([]);
    const s = splitByEntity(withHub, { heldoutShare: 0.2, seed: 5 });
    expect(s.hubs).toEqual(expect.arrayContaining(['common', 'root']));
    expect(s.train.length).toBeGreaterThan(30);
    const held = new Set(s.heldoutEntities);
    for (const r of s.train) for (const e of recordEntities(r)) expect(held.has(e) && !s.hubs.includes(e)).toBe(false);
  });

  it('is deterministic per seed', () => {
    const a = splitByEntity(records, { heldoutShare: 0.2, seed: 5 });
    expect(splitByEntity(records, { heldoutShare: 0.2, seed: 5 }).heldout.map((r) => r.id)).toEqual(a.heldout.map((r) => r.id));
    expect(() => splitByEntity(records, { heldoutShare: 1, seed: 5 })).toThrow(/heldoutShare/);
  });
});
