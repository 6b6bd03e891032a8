/**
 * One test per defect class the clinician review found (issue 10), each on the real
 * default-graph entities of that review: the item or option was accepted by the old
 * closed-world rule (the option simply lacks the edge the stem asks about) and is now
 * rejected, with the rule that rejects it named.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { edgeMaskIndex, isStrongMask, policyFor } from './edge-trust';
import { Synthesizer } from './engine';
import { Known, type Candidate } from './judges';
import { Rng } from './rng';
import type { QuestionRecord } from './record';
import { templateByType } from './templates';
import { defaultSynthesizer, judgeHelpers } from './test-helpers';
import { validityReport } from './validity';

let kg: KnowledgeGraph;
let s: Synthesizer;
beforeAll(async () => ({ kg, s } = await defaultSynthesizer()));

const { node, byName, known, cand, rejectedFor } = judgeHelpers(() => ({ kg, s }));
/** the old engine's only test: the option lacks the stem's edge */
const oldRuleAccepts = (head: number, rel: string, tail: number) => !s.g.has(head, rel, tail);
const strongEdge = (head: number, rel: string, tail: number) => isStrongMask(edgeMaskIndex(kg, kg.edgeTypeIndex(rel))(head, tail), kg.datasets.map((d) => d.id), policyFor(rel));

describe('second right answers are rejected', () => {
  it('tamibarotene for acute myeloid leukemia: it treats a subtype (acute promyelocytic leukemia)', () => {
    const aml = byName('acute myeloid leukemia', 'disease');
    const tami = byName('tamibarotene', 'drug');
    expect(oldRuleAccepts(tami, 'treats', aml)).toBe(true);
    rejectedFor('treats_disease_or_relative', () => s.judges.drugForDisease(known(aml), cand(tami)));
  });

  it('fesoterodine for neurogenic bladder: a muscarinic antagonist, like oxybutynin which treats it', () => {
    const nb = byName('neurogenic bladder', 'disease');
    const feso = byName('fesoterodine', 'drug');
    expect(oldRuleAccepts(feso, 'treats', nb)).toBe(true);
    // it shares Muscarinic Antagonists with oxybutynin, listed for neurogenic bladder …
    const k = known(nb);
    expect([...k.treaterClasses()].some((c) => s.g.has(feso, 'in_class', c))).toBe(true);
    expect(s.judges.quick('treatment', k, byName('oxybutynin', 'drug'), cand(feso))).toBe(false);
    // … and treats bladder disease, its parent: either rule turns it down
    const before = (s.judges.rejected.treats_disease_or_relative ?? 0) + (s.judges.rejected.same_class_as_known_answer ?? 0);
    expect(s.judges.drugForDisease(k, cand(feso))).toBeNull();
    expect((s.judges.rejected.treats_disease_or_relative ?? 0) + (s.judges.rejected.same_class_as_known_answer ?? 0)).toBe(before + 1);
  });

  it('rabeprazole beside pentapiperium for peptic ulcer disease: it treats duodenal ulcer, a subtype, and is a proton pump inhibitor like known treatments', () => {
    const pud = byName('peptic ulcer disease', 'disease');
    const rabe = byName('rabeprazole', 'drug');
    expect(oldRuleAccepts(rabe, 'treats', pud)).toBe(true);
    rejectedFor('treats_disease_or_relative', () => s.judges.drugForDisease(known(pud), cand(rabe)));
  });

  it('uterus or layer of smooth muscle tissue for endometriosis of uterus: overlapping or generic structures', () => {
    const endo = node('DOID:288');
    const myometrium = byName('myometrium', 'anatomy');
    const uterus = byName('uterus', 'anatomy');
    const layer = byName('layer of smooth muscle tissue', 'anatomy');
    const k = known(endo);
    const concrete = (a: number) => kg.xrefs(a).some((x) => x.startsWith('MESH:'));
    expect(oldRuleAccepts(endo, 'localizes', uterus)).toBe(true);
    expect(s.h.anatomyOverlaps(uterus, myometrium)).toBe(true);
    rejectedFor('overlaps_a_known_site', () => s.judges.siteForDisease(k, myometrium, concrete, cand(uterus)));
    rejectedFor('not_a_named_structure', () => s.judges.siteForDisease(k, myometrium, concrete, cand(layer)));
    // and the validity report counts such an item (the old engine's output)
    const item = fakeItem('localisation', endo, myometrium, [uterus]);
    expect(validityReport(kg, [item]).counts.anatomy_containment).toBe(1);
  });

  it('congenital structural myopathy for "progressive weakness and muscle weakness": the two findings restate each other, and the myopathy is not annotated enough for its silence to mean anything', () => {
    const csm = node('DOID:422');
    const pw = byName('progressive weakness', 'symptom');
    const mw = byName('muscle weakness', 'symptom');
    // a picture never shows both restating findings ("progressive weakness", "muscle weakness")
    const presents = kg.edgeTypeIndex('presents');
    const both = Array.from(kg.neighbours(pw, presents, 'in')).filter((d) => kg.neighbours(d, presents, 'out').includes(mw));
    expect(both.length).toBeGreaterThan(0);
    let pictures = 0;
    for (const d of both.slice(0, 10)) {
      const fam = s.h.diseaseFamily(d);
      if (!fam) continue;
      for (let seed = 1; seed <= 10; seed++) {
        const pic = s.pic.choose(d, fam, '', 0, new Rng(seed));
        if (!pic) continue;
        pictures++;
        expect(pic.shown.includes(pw) && pic.shown.includes(mw), kg.nodeName(d)).toBe(false);
      }
    }
    // the old rule took the myopathy as a wrong option (it lacks "progressive weakness"); now it is turned down
    const key = both.find((d) => !s.h.diseasesRelated(d, csm))!;
    expect(oldRuleAccepts(csm, 'presents', pw)).toBe(true);
    rejectedFor('not_well_annotated', () => s.judges.differential(known(key), key, [pw, mw], cand(csm)));
    void pictures;
  });

  it('"Antirheumatic agent" for anakinra: a class named for a use the drug has (rheumatoid arthritis), annotated or not', () => {
    const anakinra = byName('anakinra', 'drug');
    const antirheumatic = node('NDFRT:N0000175713');
    const key = byName('Interleukin-1 Receptor Antagonist', 'pharmacologic_class');
    expect(oldRuleAccepts(anakinra, 'in_class', antirheumatic)).toBe(true);
    expect(s.judges.classForDrug(new Known(s.g, s.h, anakinra, null), key, cand(antirheumatic))).toBeNull();
    expect((s.judges.rejected.use_class_shares_an_indication ?? 0) + (s.judges.rejected.shares_members_with_drug_class ?? 0)).toBeGreaterThan(0);
  });

  it('ehrlichiosis beside sennetsu fever: one clinical group (rickettsial fevers), whatever the KG records of their findings', () => {
    const sennetsu = node('DOID:0050485');
    const ehrl = node('DOID:10242');
    expect(s.h.diseasesRelated(sennetsu, ehrl)).toBe(false); // DO files both under primary bacterial infectious disease only
    // Neorickettsia and Ehrlichia are two genera (of one family): the group comes from the clinical syndrome
    expect(s.diff.sameGroup(sennetsu, ehrl)).toBe(true);
    const findings = Array.from(kg.neighbours(sennetsu, kg.edgeTypeIndex('presents'), 'out'));
    rejectedFor('same_clinical_group', () => s.judges.differential(known(sennetsu), sennetsu, findings, cand(ehrl)));
  });

  it('a differential that may present every shown finding is flagged by the report', () => {
    const dmd = byName('Duchenne muscular dystrophy', 'disease');
    const findings = Array.from(kg.neighbours(dmd, kg.edgeTypeIndex('presents'), 'out')).slice(0, 2);
    const item = fakeItem('diagnosis', dmd, dmd, [dmd], findings);
    // the key itself as an option presents every finding: the report must see it
    expect(validityReport(kg, [item]).counts.differential_shares_findings).toBe(1);
  });
});

describe('wrong keys from weak edges are never keys', () => {
  it('sodium phosphate and apremilast for multiple sclerosis: a single label row, a single crowd statement', () => {
    const ms = byName('multiple sclerosis', 'disease');
    for (const drug of ['sodium phosphate', 'apremilast']) {
      const d = byName(drug, 'drug');
      if (!s.g.has(d, 'treats', ms)) continue; // not in the graph at all: nothing to key
      expect(strongEdge(d, 'treats', ms), drug).toBe(false);
      expect(s.g.hasStrong(d, 'treats', ms)).toBe(false);
    }
    expect(s.g.has(byName('sodium phosphate', 'drug'), 'treats', ms)).toBe(true);
  });

  it('metronidazole NOT indicated for Crohn\'s disease: it treats colitis, a sibling under inflammatory bowel disease, so the item is unsafe', () => {
    const crohn = byName("Crohn's disease", 'disease');
    const metro = byName('metronidazole', 'drug');
    expect(s.g.has(metro, 'not_indicated_for', crohn)).toBe(true);
    expect(s.keyProblem(templateByType('contraindicated'), crohn, metro, s.h.diseaseFamily(crohn))).toBe('ambiguous_answer');
  });

  it('a rodent (Zygodontomys) or a tick is never a causative organism: vectors and hosts are left out', () => {
    const vhf = byName('Venezuelan hemorrhagic fever', 'disease');
    const causes = Array.from(kg.neighbours(vhf, kg.edgeTypeIndex('caused_by'), 'out')).map((x) => kg.nodeName(x));
    expect(causes.some((c) => /zygodontomys|sigmodon/i.test(c))).toBe(false);
    expect(causes.some((c) => /guanarito|mammarenavirus/i.test(c))).toBe(true);
    for (let i = 0; i < kg.nodeCount; i++) if (kg.nodeType(i) === 'pathogen') expect(kg.nodeName(i), 'a tick or rodent genus as pathogen').not.toMatch(/^(Zygodontomys|Sigmodon|Ixodes|Dermacentor|Amblyomma)\b/);
  });

  it('kidney cancer localizes to cardiac atrium: MEDLINE co-occurrence, never a key', () => {
    const kc = byName('kidney cancer', 'disease');
    const atrium = byName('cardiac atrium', 'anatomy');
    expect(s.g.has(kc, 'localizes', atrium)).toBe(true);
    expect(strongEdge(kc, 'localizes', atrium)).toBe(false);
    expect(s.g.hasStrong(kc, 'localizes', byName('kidney', 'anatomy'))).toBe(true);
  });
});

/** an item as the old engine wrote it: key, options, and (for diagnosis) the shown findings */
function fakeItem(type: string, subject: number, key: number, distractors: number[], findings: number[] = []): QuestionRecord {
  const ref = (i: number) => ({ id: kg.nodeId(i), type: kg.nodeType(i), name: kg.nodeName(i) });
  const t = templateByType(type);
  const evidence = findings.length
    ? findings.map((f) => ({ head: ref(subject), relation: 'presents', tail: ref(f), shown: true, role: 'evidence' as const }))
    : [{ head: ref(subject), relation: t.chain[0]!.rel, tail: ref(key), shown: true, role: 'evidence' as const }];
  const options: Record<string, string> = { A: kg.nodeName(key) };
  distractors.forEach((d, i) => (options['BCD'[i]!] = kg.nodeName(d)));
  return {
    id: `fake-${type}`,
    question: 'Which is it?',
    options,
    answer_idx: 'A',
    answer: kg.nodeName(key),
    difficulty: 'easy',
    type,
    source: 'synthetic',
    status: 'pending',
    provenance: {
      graph: 'default',
      seed: 0,
      alpha: 1,
      metapath: t.metapath,
      hops: 1,
      answer_node: ref(key),
      evidence,
      distractors: distractors.map((d) => ({ ...ref(d), contradicted_by: { head: ref(subject), relation: 'localizes', tail: ref(d), holds: false } })),
      features: { hops: 1, evidenceShown: 1, evidenceDropped: 0, answerRarity: 0, answerDegree: 1, distractorOverlap: 0, optionCount: distractors.length + 1, score: 0 },
    },
  };
}
