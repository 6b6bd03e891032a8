/**
 * A toy question set for the run's tests: entities n0…n(E−1) and one functional relation
 * `next`; a k-hop item asks where k steps of `next` lead from a start entity (1 hop easy,
 * 2 moderate, 3 difficult), four options, the answer by letter, and an SFT trajectory that walks
 * the chain. Small enough that a micro model learns the format in a few dozen steps.
 */
import { DIFFICULTIES, optionLetters, type QuestionRecord } from '../../../synthesis/record';
import { Rng } from '../../../synthesis/rng';
import type { Tokenizer } from '../../tokenizer/types';
import type { SftPair } from '../data-files';
import { plainTask } from '../items';
import { trainTaskTokenizer } from '../tokenizer-setup';

export interface ToyTask {
  questions: QuestionRecord[];
  pairs: SftPair[];
  tokenizer: Tokenizer;
}

export function toyTask(opts: { entities?: number; seed?: number; vocabSize?: number } = {}): ToyTask {
  const E = opts.entities ?? 12;
  const rng = new Rng(opts.seed ?? 1);
  const next = (i: number) => (i * 5 + 3) % E;
  const name = (i: number) => `n${i}`;
  const questions: QuestionRecord[] = [];
  const pairs: SftPair[] = [];
  for (let hops = 1; hops <= 3; hops++)
    for (let s = 0; s < E; s++) {
      const chain = [s];
      for (let k = 0; k < hops; k++) chain.push(next(chain[chain.length - 1]!));
      const answer = chain[chain.length - 1]!;
      const others = rng.shufflePrefix([...Array(E).keys()].filter((x) => x !== answer)).slice(0, 3);
      const letters = optionLetters(4);
      const pos = (s + hops) % 4;
      const opts4 = [...others];
      opts4.splice(pos, 0, answer);
      const options = Object.fromEntries(letters.map((l, i) => [l, name(opts4[i]!)]));
      const q: QuestionRecord = {
        id: `toy-${hops}-${s}`,
        question: `${name(s)}${' next'.repeat(hops)} ?`,
        options,
        answer_idx: letters[pos]!,
        answer: name(answer),
        difficulty: DIFFICULTIES[hops - 1]!,
        type: 'toy',
        source: 'toy',
        status: 'accepted',
      };
      questions.push(q);
      const walk = chain.map((c, i) => (i ? ` next ${name(c)}` : name(c))).join('');
      pairs.push({ question: q, completion: `<think>${walk}</think><answer>${q.answer_idx}</answer>` });
    }
  const tokenizer = trainTaskTokenizer(questions, pairs, plainTask, { vocabSize: opts.vocabSize ?? 320, addedTokens: Array.from({ length: E }, (_, i) => name(i)) });
  return { questions, pairs, tokenizer };
}
