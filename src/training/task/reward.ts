/**
 * The verifiable rewards of GRPO (paper §3.3: correctness of the final answer and adherence
 * to the format, nothing else — no length term), and their per-tier aggregation.
 *
 * Every rule here is written so that the exported Python reward file
 * (training/export/reward-py.ts) reproduces it exactly: whitespace is an explicit ASCII
 * character class (JS `\s` and Python `\s` disagree on a few code points), string
 * stripping uses explicit character sets, and matching is plain string equality after
 * one normalisation. Change a rule here and there together; the export test compares them.
 */
import type { Difficulty, QuestionRecord } from '../../synthesis/record';
import type { TierMetrics } from '../rl/types';

/** the whitespace every rule means: space, tab, LF, CR, FF, VT and no-break space */
export const WHITESPACE = ' \t\n\r\f\v\u00a0';
const WS_RUN = /[ \t\n\r\f\v\u00a0]+/g;
const WS_LEAD = /^[ \t\n\r\f\v\u00a0]+/;
const WS_TRAIL = /[ \t\n\r\f\v\u00a0]+$/;

/**
 * End-of-sequence markers a decoded completion may still carry (ours, GPT-2/SmolLM, ChatML,
 * Llama 3, Phi, SentencePiece). They, and whitespace, may follow `</answer>` without
 * costing the format reward.
 */
export const EOS_MARKERS = ['<|eos|>', '<|endoftext|>', '<|im_end|>', '<|eot_id|>', '<|end|>', '</s>'] as const;

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';
const ANSWER_OPEN = '<answer>';
const ANSWER_CLOSE = '</answer>';

function count(s: string, sub: string): number {
  let n = 0;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

/** the completion without trailing whitespace and end-of-sequence markers */
export function stripEos(text: string): string {
  let t = text.replace(WS_TRAIL, '');
  for (;;) {
    const m = EOS_MARKERS.find((e) => t.endsWith(e));
    if (!m) return t;
    t = t.slice(0, t.length - m.length).replace(WS_TRAIL, '');
  }
}

/**
 * Why the completion breaks the format, or null when it keeps it. The format: optional
 * leading whitespace, exactly one `<think>…</think>` with something inside, optional
 * whitespace, exactly one `<answer>…</answer>` with something inside, then nothing but
 * whitespace and end-of-sequence markers.
 */
export function formatProblem(completion: string): string | null {
  const t = stripEos(completion).replace(WS_LEAD, '');
  for (const tag of [THINK_OPEN, THINK_CLOSE, ANSWER_OPEN, ANSWER_CLOSE]) {
    const n = count(t, tag);
    if (n !== 1) return n === 0 ? `no ${tag}` : `${n} ${tag} tags`;
  }
  if (!t.startsWith(THINK_OPEN)) return `text before ${THINK_OPEN}`;
  if (!t.endsWith(ANSWER_CLOSE)) return `text after ${ANSWER_CLOSE}`;
  const tc = t.indexOf(THINK_CLOSE);
  const ao = t.indexOf(ANSWER_OPEN);
  if (ao < tc) return `${ANSWER_OPEN} before ${THINK_CLOSE}`;
  if (t.slice(tc + THINK_CLOSE.length, ao).replace(WS_LEAD, '') !== '') return `text between ${THINK_CLOSE} and ${ANSWER_OPEN}`;
  if (t.slice(THINK_OPEN.length, tc).replace(WS_RUN, '') === '') return 'empty <think> block';
  if (t.slice(ao + ANSWER_OPEN.length, t.length - ANSWER_CLOSE.length).replace(WS_RUN, '') === '') return 'empty <answer>';
  return null;
}

/** Format reward: 1 when the completion keeps the format, else 0. No partial credit (see README). */
export function formatReward(completion: string): number {
  return formatProblem(completion) === null ? 1 : 0;
}

/** what the last `<answer>…</answer>` holds, raw; null when there is none */
export function extractAnswerText(completion: string): string | null {
  let last: string | null = null;
  for (const m of completion.matchAll(/<answer>([\s\S]*?)<\/answer>/g)) last = m[1]!;
  return last;
}

/**
 * The comparison form of an answer or option text: lower-case, whitespace runs one space,
 * leading ` *"\`` and trailing ` *"\`.` stripped ("**Aspirin.**" → "aspirin").
 */
export function normalizeAnswer(s: string): string {
  return s
    .toLowerCase()
    .replace(WS_RUN, ' ')
    .replace(/^[ *"`]+/, '')
    .replace(/[ *"`.]+$/, '');
}

const LETTER_ONLY = /^\(?([a-j])\)?:?$/;
const LETTER_AND_TEXT = /^(?:\(([a-j])\)|([a-j])[.:)])[ ]*(.+)$/;

/**
 * The option letter an answer names, or null. In order: the text of exactly one option
 * ("Aspirin", "aspirin."); a letter alone ("B", "(B)", "b:", "B."); a letter with its own
 * option's text ("B. Aspirin" — a letter with another option's text is null, not a guess).
 */
export function resolveAnswer(answer: string | null, options: Record<string, string>): string | null {
  if (answer === null) return null;
  const a = normalizeAnswer(answer);
  if (a === '') return null;
  const byText = Object.keys(options).filter((l) => normalizeAnswer(options[l] ?? '') === a);
  if (byText.length === 1) return byText[0]!;
  if (byText.length > 1) return null;
  const only = LETTER_ONLY.exec(a);
  if (only) {
    const l = only[1]!.toUpperCase();
    return l in options ? l : null;
  }
  const lt = LETTER_AND_TEXT.exec(a);
  if (lt) {
    const l = (lt[1] ?? lt[2]!).toUpperCase();
    return l in options && normalizeAnswer(options[l]!) === lt[3]! ? l : null;
  }
  return null;
}

/** the option letter a completion chose (last `<answer>`), or null */
export function chosenLetter(completion: string, options: Record<string, string>): string | null {
  return resolveAnswer(extractAnswerText(completion), options);
}

/** Correctness reward: 1 when the last `<answer>` names the gold option (by letter or by its text), else 0. */
export function correctnessReward(completion: string, options: Record<string, string>, gold: string): number {
  return chosenLetter(completion, options) === gold ? 1 : 0;
}

export interface RewardBreakdown {
  reward: number;
  correctness: number;
  format: number;
  /** the option letter the completion chose, null when none resolved */
  chosen: string | null;
}

/** reward = w[0]·correctness + w[1]·format (GrpoSettings.reward_weights) */
export function scoreCompletion(completion: string, q: Pick<QuestionRecord, 'options' | 'answer_idx'>, weights: readonly [number, number] = [1, 1]): RewardBreakdown {
  const chosen = chosenLetter(completion, q.options);
  const correctness = chosen === q.answer_idx ? 1 : 0;
  const format = formatReward(completion);
  return { reward: weights[0] * correctness + weights[1] * format, correctness, format, chosen };
}

export interface ScoredForTier {
  difficulty: Difficulty;
  reward: number;
  correctness: number;
  format: number;
}

/** MetricsRow.per_tier: mean reward, accuracy and format rate per difficulty tier (tiers with no rows are absent). */
export function perTierMetrics(rows: readonly ScoredForTier[]): Partial<Record<Difficulty, TierMetrics>> {
  const acc: Partial<Record<Difficulty, TierMetrics>> = {};
  for (const r of rows) {
    const t = (acc[r.difficulty] ??= { reward: 0, accuracy: 0, format: 0, n: 0 });
    t.reward += r.reward;
    t.accuracy += r.correctness;
    t.format += r.format;
    t.n++;
  }
  for (const t of Object.values(acc)) {
    t.reward /= t.n;
    t.accuracy /= t.n;
    t.format /= t.n;
  }
  return acc;
}
