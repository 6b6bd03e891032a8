/**
 * The faults a physician found in 20 selected KG-teacher chains (seed 11; issue 10, item 6),
 * each as a test: the chain the old teacher wrote, which the old verifier accepted (pass@1 = 1.0,
 * no unsupported claim in that run), now fails with the named check; the sentence that was false
 * fails on its own; and the new teacher either writes a sound chain for the item or none.
 * review-items.json holds those questions as `npm run synth -- --n 3000 --seed 11` wrote them,
 * with the old chain in meta.chainBefore.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import type { QuestionRecord } from '../synthesis/record';
import { defaultGraph } from '../synthesis/test-helpers';
import { ClaimReader } from './claims';
import { KgTeacher } from './kg-teacher';
import reviewItems from './review-items.json';
import { parseChain } from './text';
import { Verifier } from './verify';

let kg: KnowledgeGraph;
let reader: ClaimReader;
let verifier: Verifier;
let teacher: KgTeacher;
beforeAll(async () => {
  kg = await defaultGraph();
  reader = new ClaimReader(kg);
  verifier = new Verifier(kg, undefined, reader);
  teacher = new KgTeacher(kg);
});

const items = reviewItems as unknown as (QuestionRecord & { meta: { review: string; chainBefore: string } })[];
const item = (prefix: string) => items.find((q) => q.meta.review.startsWith(prefix))!;
const failedChecks = (q: QuestionRecord, text: string) => verifier.verify(q, text).checks.filter((c) => !c.passed);
/** each claim of a sentence: "head relation tail: ok | UNSUPPORTED (why)" */
const claims = (text: string) =>
  reader.read(text).claims.map((c) => `${c.head.name} ${c.positive ? '' : 'NOT '}${c.relation} ${c.tail.name}: ${c.supported ? 'ok' : 'UNSUPPORTED'}`);
const supported = (text: string) => {
  const cs = reader.read(text).claims;
  expect(cs.length, text).toBeGreaterThan(0);
  return cs.every((c) => c.supported);
};
const chainsOf = (q: QuestionRecord) => [0, 1, 2, 3].map((candidate) => teacher.write({ question: q, round: 0, candidate, seed: 11 }));

describe('false statements the chains taught now fail the relations check', () => {
  it('"Bumetanide is indicated for hypertension": no label says so (oedema); a physician-curated use reads "is used to treat"', () => {
    expect(supported('Bumetanide is indicated for hypertension.')).toBe(false);
    expect(reader.read('Bumetanide is indicated for hypertension.').claims[0]!.overclaim).toMatch(/no drug label states it/);
    // the same fact in the words a physician-curated row supports
    expect(supported('Bumetanide is used to treat hypertension.')).toBe(true);
    // a label indication stays one
    expect(supported('Telmisartan is indicated for hypertension.')).toBe(true);
  });

  it('"Irbesartan is used to treat type 2 diabetes mellitus", "Orlistat is indicated for type 2 diabetes mellitus": low-agreement rows are no facts', () => {
    expect(claims('Irbesartan is used to treat type 2 diabetes mellitus.')).toEqual(['irbesartan treats type 2 diabetes mellitus: UNSUPPORTED']);
    expect(claims('Orlistat is indicated for type 2 diabetes mellitus.')).toEqual(['orlistat treats type 2 diabetes mellitus: UNSUPPORTED']);
    expect(supported('Metformin is used to treat type 2 diabetes mellitus.')).toBe(true);
  });

  it('"the heart is the site of heterophyiasis", "the lung is the site of capillariasis": one of several sites is not THE site', () => {
    expect(claims('The heart is the site of heterophyiasis.')).toEqual(['heterophyiasis localizes heart: UNSUPPORTED']);
    expect(reader.read('The heart is the site of heterophyiasis.').claims[0]!.overclaim).toMatch(/one of several sites/);
    expect(claims('The lung is the site of capillariasis.')).toEqual(['capillariasis localizes lung: UNSUPPORTED']);
    // what is true of them
    expect(supported('Capillariasis can involve the lung.')).toBe(true);
    // a disease's only site is its site
    expect(supported('The bile duct is the site of fascioliasis.')).toBe(true);
  });

  it('"chickenpox is characterised by pharynx inflammation", "leptospirosis … by left upper quadrant abdominal rigidity": not hallmarks', () => {
    expect(claims('Chickenpox is characterised by pharynx inflammation.')).toEqual(['chickenpox presents pharynx inflammation: UNSUPPORTED']);
    expect(reader.read('Chickenpox is characterised by pharynx inflammation.').claims[0]!.overclaim).toMatch(/not a hallmark/);
    expect(claims('Leptospirosis is characterised by left upper quadrant abdominal rigidity.')).toEqual(['leptospirosis presents left upper quadrant abdominal rigidity: UNSUPPORTED']);
    // an adverb claims a hallmark too
    expect(supported('Chickenpox classically presents with pharynx inflammation.')).toBe(false);
    // the plain wording is true
    expect(supported('Chickenpox can present with pharynx inflammation.')).toBe(true);
    // a finding the graph ties to one disease alone, from its expert source, is a hallmark
    expect(supported('Scurvy is characterised by corkscrew hair.')).toBe(true);
  });

  it('"pneumonia does not account for hypoxemia": a missing edge on a sparsely described disease proves nothing', () => {
    expect(claims('Pneumonia does not account for hypoxemia.')).toEqual(['pneumonia NOT presents hypoxemia: UNSUPPORTED']);
  });
});

describe('the old chains of the review fail verification now', () => {
  const cases: [string, string, RegExp][] = [
    ['T1', 'relations', /argues from what the graph lists \("not among the recorded"\)/],
    ['T3', 'relations', /bumetanide treats hypertension" is stated too strongly: no drug label/],
    ['T4', 'relations', /irbesartan treats type 2 diabetes mellitus" is only weakly asserted|orlistat/],
    ['T5', 'relations', /not among the recorded/],
    ['T8', 'relations', /not among the recorded/],
    ['T9', 'relations', /heterophyiasis localizes heart" is stated too strongly|capillariasis localizes lung" is stated too strongly/],
    ['T19', 'relations', /chickenpox presents pharynx inflammation" is stated too strongly/],
  ];
  for (const [t, check, detail] of cases) {
    it(`${t}: ${check} (${detail.source.slice(0, 60)}…)`, () => {
      const q = item(t);
      const failed = failedChecks(q, q.meta.chainBefore);
      const c = failed.find((x) => x.name === check);
      expect(c, `${q.meta.review}: ${failed.map((x) => x.detail).join(' | ')}`).toBeDefined();
      expect(c!.detail).toMatch(detail);
    });
  }
});

describe('the new teacher on the review items: a sound chain, or none', () => {
  it('T1 toxoplasmosis: tuberculosis has no positive reason against it (it fits), so the item gets no chain', () => {
    expect(teacher.cannotWrite(item('T1'))).toMatchObject({ kind: 'no_positive_reason', reason: expect.stringMatching(/\(B\) Mycobacterium tuberculosis/) });
  });

  it('T5 acute chest syndrome: pneumonia explains the picture as well; no chain rather than "hypoxemia is not among the recorded features of pneumonia"', () => {
    expect(teacher.cannotWrite(item('T5'))).toMatchObject({ kind: 'no_positive_reason' });
  });

  it('T4 type 2 diabetes EXCEPT: irbesartan and orlistat are not known to treat it, so the item gets no chain', () => {
    expect(teacher.cannotWrite(item('T4'))).toMatchObject({ kind: 'no_positive_reason' });
  });

  it('T15 anthrax: "doxycycline acts on MMP1" is an off-target effect, not how it treats an infection; the item gets no chain', () => {
    expect(teacher.cannotWrite(item('T15'))).toMatchObject({ kind: 'off_target', reason: expect.stringMatching(/doxycycline targets MMP1" is not how it treats anthrax/) });
  });

  it('T3 hypertension EXCEPT: every option is ruled out by what the graph states well, in words it backs', () => {
    const q = item('T3');
    expect(teacher.cannotWrite(q)).toBeNull();
    for (const text of chainsOf(q)) {
      expect(failedChecks(q, text), text).toEqual([]);
      expect(text).not.toMatch(/\((A|B|D)\)[^.]*indicated for hypertension/);
      expect(text).toMatch(/\(B\) bumetanide (belongs to the class [^,]+ and )?is used to treat hypertension/);
    }
  });

  it('T8 mifepristone, T18 urticaria: a stem with no findings gets no talk of findings', () => {
    for (const t of ['T8', 'T18']) {
      const q = item(t);
      expect(teacher.cannotWrite(q)).toBeNull();
      for (const text of chainsOf(q)) {
        expect(failedChecks(q, text), text).toEqual([]);
        expect(parseChain(text).think).not.toMatch(/finding|recorded|set aside/i);
      }
    }
  });

  it('T9 angiostrongyliasis: each other structure is THE site of another disease, never "the heart is the site of heterophyiasis"', () => {
    const q = item('T9');
    if (teacher.cannotWrite(q)) return; // no disease has that structure as its only site: no chain is also sound
    for (const text of chainsOf(q)) {
      expect(failedChecks(q, text), text).toEqual([]);
      expect(text).not.toMatch(/heterophyiasis|capillariasis/);
      for (const c of reader.read(parseChain(text).think!).claims.filter((x) => x.qualifier === 'sole_site')) expect(c.supported).toBe(true);
    }
  });

  it('T19 chickenpox: the findings are listed before the condition is named, and "can present with", not "characterised by", links them', () => {
    const q = item('T19');
    expect(teacher.cannotWrite(q)).toBeNull();
    for (const text of chainsOf(q)) {
      const think = parseChain(text).think!;
      expect(failedChecks(q, text), text).toEqual([]);
      expect(think).not.toMatch(/characterised by (fever|headache|pharynx|pharyngitis|anorexia|loss of appetite)/);
      // the condition is named only after the findings are listed
      const named = think.search(/chickenpox/i);
      for (const f of ['fever', 'headache', 'pharyngitis', 'vesicular rash', 'loss of appetite']) expect(think.toLowerCase().indexOf(f), f).toBeLessThan(named);
    }
  });

  it('no chain of any review item argues from what the graph lists', () => {
    for (const q of items) {
      if (teacher.cannotWrite(q)) continue;
      for (const text of chainsOf(q)) expect(text).not.toMatch(/recorded|not known to|not among/);
    }
  });
});
