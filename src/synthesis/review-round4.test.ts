/**
 * Physician review round 4 (/tmp/review4, `npm run synth -- --n 3000 --seed 53`), patterns N16
 * (drug classes a clinician would not name), N13 (family-level target rows) and N14 (absent-edge
 * negatives stated as facts), on that review's own entities: each was accepted then and is
 * handled now, with the rule that does it named.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { isNotADrugClass, restatesDrug } from './canonical-key';
import { FAMILY_ROW_GENES } from './edge-trust';
import { Synthesizer } from './engine';
import { COMMON_SIGN, WELL_DESCRIBED_FOR_NEGATIVE } from './rule-out';
import { templateByType } from './templates';
import { defaultSynthesizer, judgeHelpers } from './test-helpers';

let kg: KnowledgeGraph;
let s: Synthesizer;
beforeAll(async () => ({ kg, s } = await defaultSynthesizer()));

const { node, byName, known, cand, rejectedFor } = judgeHelpers(() => ({ kg, s }));
const classKey = (drug: string, cls: string) => {
  const d = byName(drug, 'drug');
  return s.keyProblem(templateByType('drug_class'), d, node(cls), s.h.diseaseFamily(d));
};

describe('N16. a drug class is keyed only where a clinician would name it', () => {
  it('hyoscyamine: "Cholinergic agents" (a parent heading holding agonists too) and "Anesthesia adjuvants" were keys; the muscarinic antagonist class is', () => {
    expect(classKey('hyoscyamine', 'MESH:D018678')).toBe('noncanonical_key'); // syn-cd2c7117d42547f4
    expect(classKey('hyoscyamine', 'MESH:D000759')).toBe('noncanonical_key'); // syn-bd2530c85ae23206
    // "Cholinergic antagonists" holds every muscarinic antagonist: a parent of the drug's narrower class
    expect(classKey('hyoscyamine', 'MESH:D018680')).toBe('noncanonical_key');
    expect(classKey('hyoscyamine', 'MESH:D018727')).toBeNull();
  });

  it('abciximab: "Anticoagulants" (an effect class) loses to its action class, platelet aggregation inhibitors', () => {
    expect(classKey('abciximab', 'MESH:D000925')).toBe('noncanonical_key'); // syn-2b6a273252a2c7ee
    expect(classKey('abciximab', 'MESH:D010975')).toBeNull();
  });

  it('property, formulation and grouping headings are no drug class: cosmetics, pharmaceutic adjuvants, CNS depressants, hormones', () => {
    expect(classKey('zinc oxide', 'MESH:D003358')).toBe('noncanonical_key'); // syn-15c8102a8e884ee5
    expect(classKey('probenecid', 'MESH:D000277')).toBe('noncanonical_key'); // syn-1a066fb5784747a0
    expect(classKey('codeine', 'MESH:D002492')).toBe('noncanonical_key');
    for (const n of ['Cosmetics', 'Adjuvants, Pharmaceutic', 'Hormones', 'Neurotransmitter Agents', 'Hematologic Agents', 'Cholinergic Agents', 'Narcotics', 'Explosive Agents', 'Hormone Antagonists'])
      expect(isNotADrugClass(n), n).toBe(true);
    for (const n of ['Muscarinic Antagonists', 'Uricosuric Agents', 'Anesthetics, Local', 'Sunscreening Agents']) expect(isNotADrugClass(n), n).toBe(false);
    // what the drug is kept as: probenecid a uricosuric, codeine an opioid analgesic
    expect(classKey('probenecid', 'MESH:D014528')).toBeNull();
    expect(classKey('codeine', 'MESH:D000701')).toBeNull();
  });

  it('calcium dobesilate: "Coagulants" holds every hemostatic, so it is the parent heading', () => {
    expect(classKey('calcium dobesilate', 'MESH:D003029')).toBe('noncanonical_key'); // syn-96817b8934aeefcc
  });

  it('liothyronine: the class "L-triiodothyronine" is the drug itself', () => {
    expect(classKey('liothyronine', 'NDFRT:N0000175946')).toBe('noncanonical_key'); // syn-4f2ed1e055be7c12
    expect(restatesDrug('l-Triiodothyronine', ['liothyronine'])).toBe(true);
    expect(restatesDrug('L-Thyroxine', ['levothyroxine'])).toBe(true);
    expect(restatesDrug('Beta-adrenergic Blocker', ['propranolol'])).toBe(false);
  });

  it('rimonabant: a use class ("Appetite depressants") whose members treat what the drug treats (obesity) is no distractor', () => {
    const rimonabant = byName('rimonabant', 'drug');
    // syn-fdd962b31def2866 offered it as wrong; rimonabant was marketed as an appetite suppressant
    rejectedFor('use_class_shares_an_indication', () => s.judges.classForDrug(known(rimonabant), node('MESH:D063387'), cand(node('MESH:D001067'))));
  });
});

describe('N13. family-level target rows are never keys or stated facts', () => {
  it('fampridine and metformin reach whole gene families through single DrugCentral rows: none of those edges is strong', () => {
    const fampridine = byName('fampridine', 'drug');
    const metformin = byName('metformin', 'drug');
    const kcnq2 = byName('KCNQ2', 'gene');
    expect(s.g.nb(fampridine, 'targets', 'out').length).toBeGreaterThanOrEqual(FAMILY_ROW_GENES);
    expect(Array.from(s.g.nb(fampridine, 'targets', 'out'))).toContain(kcnq2);
    expect(s.g.hasStrong(fampridine, 'targets', kcnq2)).toBe(false); // "KCNQ2 is a target of fampridine" (T13) cannot be stated
    expect(s.g.strongNb(metformin, 'targets', 'out').length).toBe(0); // metformin → NDUFA11 was a key
  });

  it('a single-gene target stays strong (pitolisant → HRH3, the key of syn-ab7de452d51291f6)', () => {
    expect(s.g.hasStrong(byName('pitolisant', 'drug'), 'targets', byName('HRH3', 'gene'))).toBe(true);
  });

  it('KCNQ2 beside pitolisant is no longer ruled out by "KCNQ2 is a target of fampridine"', () => {
    const pitolisant = byName('pitolisant', 'drug');
    const v = s.judges.geneForDrug(known(pitolisant), cand(byName('KCNQ2', 'gene')));
    // the drug now named is one with a single-protein row for it: retigabine, a KCNQ2–5 opener
    expect(v?.reasons[0]?.text).toBe('KCNQ2 is a target of retigabine, a drug of another class.');
  });
});

describe('N14. a common sign is denied only of a disease described at length', () => {
  const picture = () => ['SYMP:0000432', 'SYMP:0000008', 'SYMP:0000289', 'SYMP:0019142'].map(node); // syn-c0eb666dbfe3f125

  it('rubella (4 strong findings) is not said to lack lymphadenopathy (T1)', () => {
    const rubella = byName('rubella', 'disease');
    expect(s.g.strongNb(rubella, 'presents', 'out').length).toBeLessThan(WELL_DESCRIBED_FOR_NEGATIVE);
    expect(s.g.nb(node('SYMP:0019142'), 'presents', 'in').length).toBeGreaterThanOrEqual(COMMON_SIGN);
    expect(s.judges.ro.cannotExplain(rubella, node('SYMP:0019142'))).toBe(false);
    expect(s.judges.ro.unexplained(rubella, picture())).toBe(-1);
    // so Rubella virus gets no teachable reason beside the onchocerciasis picture
    expect(s.judges.ro.causeRuledOut(node('NCBITaxon:2846071'), byName('onchocerciasis', 'disease'), picture())).toBeNull();
  });

  it('leptospirosis / dyspnoea (syn-377b8ae66da79271) and brucellosis / hepatosplenomegaly (syn-8323ab87e53bfd69) are not said either', () => {
    expect(s.judges.ro.cannotExplain(byName('leptospirosis', 'disease'), node('SYMP:0019153'))).toBe(false);
    expect(s.judges.ro.cannotExplain(byName('brucellosis', 'disease'), node('SYMP:0000047'))).toBe(false);
  });

  it('a rarer finding is still denied of a thinly described disease: rubella (4 findings) does not account for wheezing', () => {
    expect(s.judges.ro.cannotExplain(byName('rubella', 'disease'), node('SYMP:0000604'))).toBe(true);
  });

  it('a disease described at length can still be ruled out on a finding of another system (hepatitis C, 10 findings)', () => {
    const hcv = byName('hepatitis C', 'disease');
    expect(s.judges.ro.describedForNegative(hcv)).toBe(true);
    expect(s.judges.ro.unexplained(hcv, [node('SYMP:0000008')])).toBeGreaterThanOrEqual(0); // blindness
  });
});

describe('N15. EXCEPT items: a few per disease, never a twin', () => {
  it('a contraindicated run keeps one item per disease per 1,000 and no two items of a disease share two options', () => {
    const syn = new Synthesizer(kg, 'default', { n: 1000, seed: 53, alpha: 1, types: ['contraindicated'] });
    const made = [...syn.generate()];
    expect(made.length).toBeGreaterThan(5);
    const subjectOf = (r: (typeof made)[number]) => r.provenance!.evidence.find((e) => e.relation === 'not_indicated_for')?.tail.id ?? r.question;
    const bySubject = new Map<string, string[][]>();
    for (const r of made) bySubject.set(subjectOf(r), [...(bySubject.get(subjectOf(r)) ?? []), Object.values(r.options)]);
    for (const [subject, sets] of bySubject) {
      expect(subject).toMatch(/^DOID:/);
      expect(sets.length, subject).toBe(1); // the review's set had allergic rhinitis, CAD and Parkinson's disease twice each
    }
  });
});
