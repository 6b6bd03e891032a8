/**
 * The run's data as the loops see it: SFT examples (prompt tokens + trajectory text) and RL items
 * (prompt tokens + a scorer), built from question records with a task: its prompt format
 * (task/prompt.ts) and its reward (task/reward.ts).
 */
import type { QuestionRecord } from '../../synthesis/record';
import { encodePlainPrompt, plainPrompt } from '../task/prompt';
import { scoreCompletion } from '../task/reward';
import type { Tokenizer } from '../tokenizer/types';
import type { RlItem } from './grpo';
import type { SftExample } from './sft-data';

/** What a task gives the trainer: how a question is shown to the model, and how a completion scores. */
export interface RunTask {
  /** the prompt as text (rollout records, the inspector) */
  promptText(q: QuestionRecord): string;
  /** the prompt as the model sees it (plain style: BOS + text; chat style: the base's rendered template) */
  promptIds(q: QuestionRecord, tok: Tokenizer): number[];
  /** correctness of the extracted answer and format adherence, each in [0, 1] */
  score(q: QuestionRecord, completion: string): { correctness: number; format: number };
}

/** The plain prompt style (models trained from scratch): context lines, stem, options; reward by letter or option text. */
export const plainTask: RunTask = {
  promptText: (q) => plainPrompt(q),
  promptIds: (q, tok) => encodePlainPrompt(tok, plainPrompt(q)),
  score: (q, c) => scoreCompletion(c, q),
};

/** SFT examples from (question, trajectory text) pairs */
export function sftExamples(pairs: ReadonlyArray<{ question: QuestionRecord; completion: string }>, task: RunTask, tok: Tokenizer): SftExample[] {
  return pairs.map(({ question: q, completion }) => ({ id: q.id, difficulty: q.difficulty, promptIds: task.promptIds(q, tok), completion }));
}

/** RL items; a prompt that leaves no room for a completion within the context is an error naming the question */
export function rlItems(questions: readonly QuestionRecord[], task: RunTask, tok: Tokenizer, maxPositions: number): RlItem[] {
  return questions.map((q) => {
    const prompt = task.promptText(q);
    const promptIds = task.promptIds(q, tok);
    if (promptIds.length >= maxPositions) throw new Error(`question ${q.id}: its prompt is ${promptIds.length} tokens, which leaves no room for an answer within the model's ${maxPositions} positions`);
    return { id: q.id, difficulty: q.difficulty, prompt, promptIds, score: (c: string) => task.score(q, c) };
  });
}
