/** Test support: verified questions of every type from the default graph, drawn once per test file. */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { Synthesizer } from '../synthesis/engine';
import type { QuestionRecord } from '../synthesis/record';
import { QUESTION_TYPES } from '../synthesis/templates';

export function questionsOfEveryType(kg: KnowledgeGraph, perType: number, seed = 5, optionCount = 4): QuestionRecord[] {
  const out: QuestionRecord[] = [];
  for (const type of QUESTION_TYPES) {
    const s = new Synthesizer(kg, 'default', { n: perType, seed, alpha: 1, types: [type], optionCount });
    for (const q of s.generate()) out.push(q);
  }
  return out;
}
