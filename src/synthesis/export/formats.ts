/**
 * Exports of a question set for training elsewhere: MedQA JSON lines, a chat-format
 * JSON lines file for TRL's GRPOTrainer, and the verl parquet layout. Pure functions
 * over records, so the CLI and the app (in a worker) produce identical files.
 */
import type { QuestionRecord } from '../record';

export const SYSTEM_PROMPT =
  'You are a careful medical expert. Think through the question step by step inside <think> </think>, then give only the letter of the correct option inside <answer> </answer>.';

/** the user turn: the given facts (open-book items), stem, lettered options, the required output format */
export function userPrompt(r: QuestionRecord): string {
  const opts = Object.entries(r.options)
    .map(([l, t]) => `${l}. ${t}`)
    .join('\n');
  const facts = r.context?.length ? `Facts:\n${r.context.map((c) => `- ${c}`).join('\n')}\n\n` : '';
  return `${facts}${r.question}\n\n${opts}\n\nAnswer in the form <think>…</think><answer>LETTER</answer>.`;
}

export function chatPrompt(r: QuestionRecord): { role: 'system' | 'user'; content: string }[] {
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: userPrompt(r) },
  ];
}

/** MedQA layout: question, answer, options, meta_info, answer_idx (+ id and difficulty, which MedQA readers ignore) */
export function toMedqaJsonl(records: QuestionRecord[]): string {
  return records
    .map((r) => JSON.stringify({ question: r.question, answer: r.answer, options: r.options, meta_info: `${r.source}/${r.type}`, answer_idx: r.answer_idx, id: r.id, difficulty: r.difficulty }))
    .join('\n')
    .concat(records.length ? '\n' : '');
}

/** TRL conversational prompt dataset: `prompt` messages; `answer` and `difficulty` reach the reward functions as columns */
export function toTrlChatJsonl(records: QuestionRecord[]): string {
  return records
    // options ride along so a reward function can credit an answer written as the option's text
    .map((r) => JSON.stringify({ prompt: chatPrompt(r), answer: r.answer_idx, answer_text: r.answer, options: r.options, difficulty: r.difficulty, id: r.id, source: r.source, type: r.type }))
    .join('\n')
    .concat(records.length ? '\n' : '');
}
