/**
 * The teacher prompt (the paper's cold start): the question AND its gold answer, asking
 * for a concise chain that bridges them; in refinement rounds, the previous chain, the
 * checks it failed with their details, and the strategy to apply.
 */
import type { QuestionRecord } from '../synthesis/record';
import type { RefinementRequest, RefinementStrategy } from './types';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const SYSTEM = [
  'You are a medical educator writing worked reasoning for multiple-choice questions.',
  'You are given the question and its correct answer. Write a concise chain of reasoning that bridges the findings to the answer,',
  'in order: what the question gives, what it points to (do not name the answer before you have derived it), any intermediate step, the answer,',
  'then each other option ruled out by a positive clinical reason: what that drug is used for instead, the finding that option cannot explain, the disease that structure is the site of.',
  'Do not argue from what a database lists ("not among the recorded …"). Say "characterised by" only of a hallmark finding, "indicated for" only of a labelled indication.',
  'Name diseases, symptoms, drugs, genes and other entities by their standard names. Do not invent facts.',
  'Reply in exactly this format and nothing else: <think>your reasoning</think><answer>LETTER</answer>',
].join(' ');

const STRATEGY: Record<RefinementStrategy, string> = {
  backtracking: 'Backtracking: go back to the earliest assumption in your reasoning that led to the problem, re-examine it against the findings, and rebuild the chain from there.',
  path_exploration: 'Path exploration: consider another hypothesis: weigh each option in turn against the findings and follow the path that actually reaches the correct answer.',
  self_correction: 'Self-correction: find the flagged steps, fix each one (remove or correct any fact that is wrong), and keep the rest.',
};

export function questionBlock(q: QuestionRecord): string {
  const opts = Object.entries(q.options).map(([k, v]) => `${k}. ${v}`).join('\n');
  return `Question: ${q.question}\nOptions:\n${opts}\nCorrect answer: ${q.answer_idx}. ${q.answer}`;
}

export function buildMessages(q: QuestionRecord, refinement?: RefinementRequest): ChatMessage[] {
  const messages: ChatMessage[] = [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `${questionBlock(q)}\n\nWrite the reasoning that leads to ${q.answer_idx}.` },
  ];
  if (refinement) {
    messages.push({ role: 'assistant', content: refinement.previous });
    const failed = refinement.failed.map((c) => `- ${c.name}: ${c.detail}`).join('\n');
    messages.push({ role: 'user', content: `Your reasoning failed these checks:\n${failed}\n\n${STRATEGY[refinement.strategy]}\nReply again in the format <think>…</think><answer>LETTER</answer>.` });
  }
  return messages;
}

/** one plain-text prompt for completion-style models (transformers.js without a chat template) */
export function flattenMessages(messages: ChatMessage[]): string {
  return messages.map((m) => `${m.role.toUpperCase()}: ${m.content}`).join('\n\n') + '\n\nASSISTANT: ';
}
