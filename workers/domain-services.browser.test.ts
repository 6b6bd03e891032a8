/**
 * The domain worker's services as modules, in a real browser: synthesis and trajectories
 * use the ACTIVE graph held by the graph service (an imported one included), never a
 * copy of the default graph of their own; questions from another graph are not checked
 * against the open one; the active graph survives a reset (workspace import) by
 * reloading the one chosen last.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { allQuestions, deleteQuestions, putQuestions } from '../src/storage/question-store';
import type { QuestionRecord } from '../src/synthesis/record';
import { activeGraph, graphApi, resetActiveGraph } from './graph-service';
import { synthesisApi } from './synthesis-service';
import { trajectoryApi } from './trajectory-service';
import { workerDatabase } from './worker-resources';

/** A small graph in the app's schema: diseases presenting symptoms, treated by drugs in classes. */
function tinyMedicalTsv(): string {
  const rows = ['head\thead_type\trelation\ttail\ttail_type\thead_name\ttail_name'];
  const D = 24;
  for (let d = 0; d < D; d++) {
    // two findings of its own and two shared ones: enough to tell diseases apart
    for (const sym of [`P${2 * d}`, `P${2 * d + 1}`, `S${d % 7}`, `S${(d * 3 + 1) % 7}`]) {
      rows.push(`DIS:${d}\tdisease\tpresents\tSYM:${sym}\tsymptom\tzebra disease ${d}\tzebra sign ${sym}`);
    }
    for (let k = 0; k < 2; k++) {
      const r = (d * 5 + k * 11) % 28;
      rows.push(`DRUG:${r}\tdrug\ttreats\tDIS:${d}\tdisease\tzebramycin ${r}\tzebra disease ${d}`);
    }
  }
  for (let r = 0; r < 28; r++) rows.push(`DRUG:${r}\tdrug\tin_class\tCLS:${r % 6}\tpharmacologic_class\tzebramycin ${r}\tzebra class ${r % 6}`);
  return rows.join('\n') + '\n';
}

let importedId = '';

afterAll(async () => {
  if (importedId) await graphApi.deleteGraph(importedId);
  const d = await workerDatabase();
  const mine = (await allQuestions(d)).filter((q) => q.provenance?.graph === importedId || q.id.startsWith('h7-test-'));
  await deleteQuestions(d, mine.map((q) => q.id));
});

describe('domain services share the active graph', () => {
  it('synthesis runs on an imported graph once it is the active one, and says which graph', async () => {
    const out = await graphApi.importFile(new Blob([tinyMedicalTsv()]), 'zebra.tsv', 'triples', 'Zebra graph');
    importedId = out.id;
    const active = await activeGraph();
    expect(active).toMatchObject({ id: importedId, name: 'Zebra graph' });
    const res = await synthesisApi.generate({ n: 10, seed: 3, alpha: 1 });
    expect(res.graph).toEqual({ id: importedId, name: 'Zebra graph' });
    const mine = (await allQuestions(await workerDatabase())).filter((q) => q.provenance?.graph === importedId);
    expect(mine).toHaveLength(res.saved - res.alreadyStored);
    // whatever the engine could build here came from this graph's entities, not the default graph's
    for (const q of mine) expect(q.provenance!.answer_node.id).toMatch(/^(DIS|DRUG|SYM|CLS):/);
  });

  it('trajectories refuse questions built from another graph than the open one, running nothing', async () => {
    const foreign: QuestionRecord = {
      id: 'h7-test-foreign', question: 'Which drug treats asthma?', options: { A: 'salbutamol', B: 'x', C: 'y' }, answer_idx: 'A', answer: 'salbutamol',
      difficulty: 'easy', type: 'treatment', source: 'synthetic', status: 'pending',
      provenance: { graph: 'default', seed: 1, alpha: 1, metapath: 'm', hops: 1, answer_node: { id: 'X', type: 'drug', name: 'salbutamol' }, evidence: [], distractors: [],
        features: { hops: 1, evidenceShown: 0, evidenceDropped: 0, answerRarity: 0, answerDegree: 0, distractorOverlap: 0, optionCount: 3, score: 0 } },
    };
    await putQuestions(await workerDatabase(), [foreign]);
    await expect(trajectoryApi.run({ teacher: { kind: 'kg' }, k: 1, rounds: 0, seed: 1, questionIds: [foreign.id] })).rejects.toThrow(
      /1 of the 1 questions were synthesised from the built-in graph, but "Zebra graph" is open.*Nothing was run/,
    );
  });

  it('after a reset (a workspace import) the graph chosen last is loaded again on first use', async () => {
    resetActiveGraph();
    expect(await activeGraph()).toMatchObject({ id: importedId, name: 'Zebra graph' });
  });
});
