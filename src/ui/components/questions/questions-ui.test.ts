import { describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../../../synthesis/record';
import { applyFilters, describeFilters, NO_FILTERS, valuesOf } from './filters';
import { provenanceElements } from './provenance-elements';

const ref = (id: string, type: string, name: string) => ({ id, type, name });
const item: QuestionRecord = {
  id: 'syn-1',
  question: 'A patient presents with fever and cough. Which is the most likely diagnosis?',
  options: { A: 'influenza', B: 'asthma', C: 'gout' },
  answer_idx: 'A',
  answer: 'influenza',
  difficulty: 'difficult',
  type: 'diagnosis',
  source: 'synthetic',
  status: 'pending',
  provenance: {
    graph: 'default',
    seed: 1,
    alpha: 1,
    metapath: 'symptom ←presents— disease',
    hops: 1,
    answer_node: ref('D:1', 'disease', 'influenza'),
    evidence: [
      { head: ref('D:1', 'disease', 'influenza'), relation: 'presents', tail: ref('S:1', 'symptom', 'fever'), shown: true, role: 'evidence' },
      { head: ref('D:1', 'disease', 'influenza'), relation: 'presents', tail: ref('S:2', 'symptom', 'cough'), shown: true, role: 'evidence' },
      { head: ref('D:1', 'disease', 'influenza'), relation: 'presents', tail: ref('S:3', 'symptom', 'myalgia'), shown: false, role: 'evidence' },
    ],
    distractors: [
      { ...ref('D:2', 'disease', 'asthma'), contradicted_by: { head: ref('D:2', 'disease', 'asthma'), relation: 'presents', tail: ref('S:1', 'symptom', 'fever'), holds: false } },
      { ...ref('D:3', 'disease', 'gout'), contradicted_by: { head: ref('D:3', 'disease', 'gout'), relation: 'presents', tail: ref('S:2', 'symptom', 'cough'), holds: false } },
    ],
    features: { hops: 1, evidenceShown: 2, evidenceDropped: 1, answerRarity: 0.5, answerDegree: 3, distractorOverlap: 0.5, optionCount: 3, score: 0.4 },
  },
};
const imported: QuestionRecord = { ...item, id: 'medqa-1', question: 'Which nerve?', options: { A: 'ulnar', B: 'radial' }, answer_idx: 'B', answer: 'radial', source: 'medqa', type: 'exam', difficulty: 'easy', status: 'accepted', provenance: undefined };

describe('curation filters', () => {
  it('filter by each field and by text in stem or options', () => {
    const all = [item, imported];
    expect(applyFilters(all, { ...NO_FILTERS, difficulty: 'difficult' })).toEqual([item]);
    expect(applyFilters(all, { ...NO_FILTERS, status: 'accepted' })).toEqual([imported]);
    expect(applyFilters(all, { ...NO_FILTERS, source: 'medqa', type: 'exam' })).toEqual([imported]);
    expect(applyFilters(all, { ...NO_FILTERS, hops: '1' })).toEqual([item]);
    expect(applyFilters(all, { ...NO_FILTERS, text: 'RADIAL' })).toEqual([imported]);
    expect(applyFilters(all, { ...NO_FILTERS, text: 'fever' })).toEqual([item]);
    expect(valuesOf(all, (r) => r.source)).toEqual(['medqa', 'synthetic']);
    expect(describeFilters({ ...NO_FILTERS, difficulty: 'difficult' })).toBe('difficulty = difficult');
  });
});

describe('provenance subgraph', () => {
  it('masks the answer and marks evidence, dropped evidence and contradicting facts', () => {
    const els = provenanceElements(item);
    const byId = new Map(els.map((e) => [e.data.id, e]));
    expect(byId.get('D:1')!.classes).toMatch(/^answer/);
    expect(byId.get('D:1')!.data.label).toMatch(/^\?/);
    expect(byId.get('S:1')!.classes).toMatch(/^evidence/);
    expect(byId.get('S:3')!.classes).toMatch(/^dropped/);
    expect(byId.get('D:2')!.classes).toMatch(/^distractor/);
    const contradictions = els.filter((e) => e.group === 'edges' && e.classes.startsWith('contradiction'));
    expect(contradictions.map((e) => e.data.label)).toEqual(['NOT presents', 'NOT presents']);
    expect(contradictions.map((e) => e.data.source)).toEqual(['D:2', 'D:3']);
    expect(provenanceElements(imported)).toEqual([]);
  });
});
