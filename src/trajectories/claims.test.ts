/** The claim reader on free-form sentences of the kind an LLM teacher writes, with real default-graph entities. */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultGraph } from '../synthesis/test-helpers';
import type { QuestionRecord } from '../synthesis/record';
import { ClaimReader } from './claims';
import { Verifier } from './verify';

let reader: ClaimReader;
let verifier: Verifier;
beforeAll(async () => {
  const kg = await defaultGraph();
  reader = new ClaimReader(kg);
  verifier = new Verifier(kg, undefined, reader);
});

const claims = (text: string) => reader.read(text).claims.map((c) => `${c.head.name} ${c.positive ? '' : 'NOT '}${c.relation} ${c.tail.name}: ${c.supported ? 'ok' : 'UNSUPPORTED'}`);

describe('ClaimReader', () => {
  it('reads a relation in active, passive and negated forms and checks it against the KG', () => {
    expect(claims('Telmisartan is used to treat hypertension.')).toEqual(['telmisartan treats hypertension: ok']);
    expect(claims('Hypertension is commonly treated with telmisartan.')).toEqual(['telmisartan treats hypertension: ok']);
    expect(claims("Telmisartan doesn't treat hypertension.")).toEqual(['telmisartan NOT treats hypertension: UNSUPPORTED']);
    expect(claims('Desflurane is not indicated for hypertension.')).toEqual(['desflurane not_indicated_for hypertension: ok']);
    expect(claims("Escitalopram treats Parkinson's disease.")).toEqual(["escitalopram treats Parkinson's disease: UNSUPPORTED"]);
  });

  it('splits clauses, follows coordination and relative clauses, and ignores hypotheses', () => {
    // the organism by its binomial, a synonym of its clinical name ("Louping ill virus")
    expect(claims('Louping ill is caused by Orthoflavivirus loupingi and presents with fever and lethargy.').sort()).toEqual([
      'louping ill caused_by Louping ill virus: ok',
      'louping ill presents fever: ok',
      'louping ill presents lethargy: ok',
    ]);
    expect(claims('The patient has fever, which is a symptom of louping ill.')).toEqual(['louping ill presents fever: ok']);
    expect(claims("If escitalopram treated Parkinson's disease, it would be a reasonable choice.")).toEqual([]);
    expect(claims('Moxonidine acts on the product of NISCH; however, it does not target ADRB2.')).toEqual(['moxonidine targets NISCH: ok']);
  });

  it('reads on past a name that ends in a full stop when the sentence goes on', () => {
    expect(claims('Mycobacterium avium complex sp. causes Mycobacterium avium complex disease.')).toEqual(['Mycobacterium avium complex disease caused_by Mycobacterium avium complex sp.: ok']);
  });

  it('reports a term in an entity position that the KG does not know', () => {
    const r = reader.read('Telmisartan treats dragonpox.');
    expect(r.unresolved).toEqual(['dragonpox']);
    expect(r.claims).toEqual([]);
    expect(reader.read('Telmisartan treats the condition described.').unresolved).toEqual([]);
  });

  it('reads gene symbols case-sensitively, so ordinary words are not genes', () => {
    const genes = (t: string) => reader.read(t).mentions.filter((m) => m.types.includes('gene')).map((m) => m.text);
    expect(genes('Moxonidine targets NISCH.')).toEqual(['NISCH']);
    expect(genes('This set of drugs is used at max dose.')).toEqual([]);
  });
});

describe('negative claims: an absent edge counts only where the absence is informative', () => {
  // each of these negatives was counted as supported before (the KG lacks the edge), and is now not
  it('names that contain one another: "the uterus is not the site of endometriosis of uterus" is unsupported', () => {
    expect(claims('The uterus is not the site of endometriosis of uterus.')).toEqual(['endometriosis of uterus NOT localizes uterus: UNSUPPORTED']);
    expect(reader.read('The uterus is not the site of endometriosis of uterus.').claims[0]!.absence).toMatch(/names .* overlap/);
  });

  it('a drug for a subtype of the disease: tamibarotene (for acute promyelocytic leukemia) is not "ruled out" for acute myeloid leukemia', () => {
    expect(claims('Tamibarotene is not among the recorded treatments of acute myeloid leukemia.')).toEqual(['tamibarotene NOT treats acute myeloid leukemia: UNSUPPORTED']);
    expect(reader.read('Tamibarotene does not treat acute myeloid leukemia.').claims[0]!.absence).toMatch(/acute promyelocytic leukemia, a relative/);
  });

  it('a drug recorded for a narrower form (rabeprazole for duodenal ulcer) is not ruled out for peptic ulcer disease', () => {
    expect(claims('Rabeprazole is not among the recorded treatments of peptic ulcer disease.')).toEqual(['rabeprazole NOT treats peptic ulcer disease: UNSUPPORTED']);
  });

  it('a well-annotated list with no relative holding the edge supports the negative', () => {
    // (a chain that words it "not among the recorded …" still fails verification: verify.ts, review-faults.test.ts)
    expect(claims('Influenza does not account for hair loss.')).toEqual(['influenza NOT presents hair loss: ok']);
    expect(claims('Glibenclamide does not treat hypertension.')).toEqual(['glibenclamide NOT treats hypertension: ok']);
  });

  it('a denied finding needs the disease\'s picture well described and nothing of it in that body system', () => {
    // pneumonia has two strong findings: its missing "hypoxemia" says nothing
    expect(claims('Pneumonia does not account for hypoxemia.')).toEqual(['pneumonia NOT presents hypoxemia: UNSUPPORTED']);
    expect(reader.read('Pneumonia does not account for hypoxemia.').claims[0]!.absence).toBeTruthy();
    // a haemorrhagic fever with other bleeding signs may give petechiae; an encephalitis may give memory loss;
    // typhoid (abdominal pain) may give abdominal swelling; an abscess is too vague to be unexplained
    for (const s of [
      'Venezuelan hemorrhagic fever does not account for petechiae.',
      'West Nile encephalitis does not account for memory impairment.',
      'Typhoid fever does not account for abdominal swelling.',
      'Tonsillitis does not account for abscess.',
    ])
      expect(claims(s)[0], s).toMatch(/UNSUPPORTED$/);
    // a finding in a body system the disease's well-described picture never touches
    expect(claims('Giardiasis does not account for wheezing.')).toEqual(['giardiasis NOT presents wheezing: ok']);
  });

  it('a relation the KG asserts only weakly is not a fact: "apremilast treats multiple sclerosis" (one Wikidata row) is unsupported', () => {
    expect(claims('Apremilast is used to treat multiple sclerosis.')).toEqual(['apremilast treats multiple sclerosis: UNSUPPORTED']);
    expect(reader.read('Apremilast treats multiple sclerosis.').claims[0]!.weakSources).toEqual(['wikidata']);
  });

  it('a chain stating the uterus falsehood now fails "relations" with the reason; a false positive fails too', () => {
    const q: QuestionRecord = { id: 'loc', question: 'Endometriosis of uterus localizes to which part of the body?', options: { A: 'myometrium', B: 'uterus' }, answer_idx: 'A', answer: 'myometrium', difficulty: 'easy', type: 'localisation', source: 'synthetic', status: 'pending' };
    const chain = (s: string) => `<think>Endometriosis of uterus localizes to the myometrium, which is the structure the question asks for. ${s} The answer is A.</think><answer>A</answer>`;
    const failedOf = (text: string) => verifier.verify(q, text).checks.filter((c) => !c.passed);
    const bad = failedOf(chain('The uterus is not the site of endometriosis of uterus, so (B) is excluded.'));
    expect(bad.map((c) => c.name)).toEqual(['relations']);
    expect(bad[0]!.detail).toMatch(/"endometriosis of uterus not localizes uterus": the KG lacks the edge, but that proves nothing \(the names/);
    expect(failedOf(chain('Telmisartan is used to treat endometriosis of uterus.')).map((c) => c.name)).toEqual(['relations']);
    expect(failedOf(chain(''))).toEqual([]);
  });
});
