/**
 * The one place that turns a question record into what the policy sees, and fixes the
 * completion format `<think>…</think><answer>X</answer>`.
 *
 * Two prompt styles:
 * - "plain", for models trained from scratch: no system text, no instructions — a tiny model
 *   pays for every token and learns the format from SFT. Context facts (open-book) one per
 *   line, then the stem, then one option per line; the completion follows the last newline.
 * - "chat", for pretrained instruct bases: the system + user messages of the exports
 *   (synthesis/export/formats.ts chatPrompt, context included), which the trainer renders
 *   with the base's own chat template. SFT, GRPO, evaluation and the TRL/verl exports
 *   therefore all show a question the same way.
 *
 * Token conventions shared by the trainer and evaluation: a prompt is BOS + encode(text)
 * (plain) or encode(rendered chat) (chat, whose template places its own markers); a
 * completion is encode(text) + EOS, and only its tokens carry loss or reward.
 */
import { chatPrompt } from '../../synthesis/export/formats';
import type { QuestionRecord } from '../../synthesis/record';
import type { Tokenizer } from '../tokenizer/types';

export type PromptStyle = 'plain' | 'chat';
export const PROMPT_STYLES: readonly PromptStyle[] = ['plain', 'chat'];

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type Prompt = { style: 'plain'; text: string } | { style: 'chat'; messages: ChatMessage[] };

/** the context facts of an open-book record (QuestionRecord.context), [] for closed-book */
export function contextOf(r: Pick<QuestionRecord, 'context'>): string[] {
  return r.context ?? [];
}

/** Plain style: context lines, the stem, "A. option" lines; ends with a newline so the completion starts a line. */
export function plainPrompt(r: Pick<QuestionRecord, 'question' | 'options' | 'context'>): string {
  const lines = [...contextOf(r), r.question, ...Object.entries(r.options).map(([l, t]) => `${l}. ${t}`)];
  return `${lines.join('\n')}\n`;
}

export function buildPrompt(r: QuestionRecord, style: PromptStyle): Prompt {
  return style === 'plain' ? { style, text: plainPrompt(r) } : { style, messages: chatPrompt(r) };
}

/** the completion format, with the chosen answer written inside <answer> */
export function completionText(reasoning: string, answer: string): string {
  return `<think>${reasoning}</think><answer>${answer}</answer>`;
}

/** Prompt token ids for the plain style: BOS, then the text (Tokenizer.encode adds nothing itself). */
export function encodePlainPrompt(tok: Pick<Tokenizer, 'encode' | 'specials'>, text: string): number[] {
  return [tok.specials.bos, ...tok.encode(text)];
}

/** Completion token ids for SFT: the text, then EOS (the model learns to stop after </answer>). */
export function encodeCompletion(tok: Pick<Tokenizer, 'encode' | 'specials'>, text: string): number[] {
  return [...tok.encode(text), tok.specials.eos];
}

export interface SftExample {
  /** prompt ids then completion ids */
  ids: number[];
  /** index of the first completion token in ids: loss on ids[completionStart..] only */
  completionStart: number;
}

/** One SFT pair as token ids, the prompt already encoded (plain: encodePlainPrompt; chat: the rendered template). */
export function sftExample(tok: Pick<Tokenizer, 'encode' | 'specials'>, promptIds: readonly number[], completion: string): SftExample {
  const c = encodeCompletion(tok, completion);
  return { ids: [...promptIds, ...c], completionStart: promptIds.length };
}
