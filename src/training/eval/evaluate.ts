/**
 * Evaluation of a model on question records: greedy decoding, the answer read from the last
 * `<answer>` (letter or option text, task/reward.ts), accuracy overall and per difficulty
 * tier, type and source, the format rate, and pass@k by sampling (unbiased estimator).
 * Batched: many prompts per generate() call, prompts of similar length together.
 *
 * The summary is the `npm run eval` contract — {"accuracy","perDifficulty":{tier:{"accuracy",
 * "n"}},"formatRate","n"} — plus perType, perSource, passAtK and tooLong.
 */
import { DIFFICULTIES, type Difficulty, type QuestionRecord } from '../../synthesis/record';
import type { CausalLM } from '../model/causal-lm';
import { encodePlainPrompt, plainPrompt } from '../task/prompt';
import { scoreCompletion } from '../task/reward';
import type { Tokenizer } from '../tokenizer/types';
import { meanPassAtK } from './pass-at-k';

export interface GroupAccuracy {
  accuracy: number;
  n: number;
}

export interface PassAtKSettings {
  /** samples per item */
  n: number;
  /** the k to report, each ≤ n */
  ks: number[];
  temperature: number;
  top_p: number;
  seed: number;
}

export interface EvalOptions {
  /** prompt token ids of a record (default: plain style, BOS + plainPrompt); pass the run's RunTask.promptIds for chat bases */
  promptIds?: (q: QuestionRecord, tok: Tokenizer) => number[];
  /** longest completion, in tokens (default 64) */
  maxNewTokens?: number;
  /** prompts per generate() call (default 32) */
  batchSize?: number;
  /** also estimate pass@k by sampling */
  passAtK?: PassAtKSettings;
  /** keep each item's completion and scores in the result */
  keepItems?: boolean;
  onProgress?: (p: { phase: 'greedy' | 'sampling'; done: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface EvalItem {
  id: string;
  difficulty: Difficulty;
  type: string;
  source: string;
  completion: string;
  /** option letter the completion chose, null when none resolved */
  chosen: string | null;
  correct: number;
  format: number;
  truncated: boolean;
  /** correct samples out of passAtK.n (sampling runs only) */
  sampledCorrect?: number;
}

export interface EvalResult {
  accuracy: number;
  /** tiers with at least one item */
  perDifficulty: Partial<Record<Difficulty, GroupAccuracy>>;
  formatRate: number;
  n: number;
  perType: Record<string, GroupAccuracy>;
  perSource: Record<string, GroupAccuracy>;
  /** "pass@k" → value, from passAtK.n samples per item */
  passAtK?: { n: number; temperature: number; top_p: number; values: Record<string, number> };
  /** prompts that do not fit the model's context with room to answer: scored wrong and unformatted */
  tooLong: number;
  items?: EvalItem[];
}

export const DEFAULT_EVAL = { maxNewTokens: 64, batchSize: 32 } as const;

const defaultPromptIds = (q: QuestionRecord, tok: Tokenizer) => encodePlainPrompt(tok, plainPrompt(q));

/** the completion text the rewards read: the tokens without a final EOS, decoded */
export function decodeCompletion(tok: Tokenizer, tokens: readonly number[]): string {
  const body = tokens.length && tokens[tokens.length - 1] === tok.specials.eos ? tokens.slice(0, -1) : tokens;
  return tok.decode(body);
}

interface Job {
  item: number;
  prompt: number[];
}

/**
 * Runs prompts through generate() in batches of similar length; returns each job's tokens and
 * truncation flag in job order. Jobs too long for the context come back as null.
 */
async function generateAll(model: CausalLM, jobs: Job[], opts: { maxNewTokens: number; batchSize: number; temperature: number; top_p: number; stop: number[]; seed: number; signal?: AbortSignal; progress?: (done: number) => void }): Promise<({ tokens: number[]; truncated: boolean } | null)[]> {
  const maxPos = model.config.max_position_embeddings;
  const out: ({ tokens: number[]; truncated: boolean } | null)[] = jobs.map(() => null);
  const order = jobs.map((_, i) => i).filter((i) => jobs[i]!.prompt.length < maxPos);
  order.sort((a, b) => jobs[a]!.prompt.length - jobs[b]!.prompt.length || a - b);
  let done = jobs.length - order.length;
  for (let a = 0, batch = 0; a < order.length; a += opts.batchSize, batch++) {
    opts.signal?.throwIfAborted();
    const idx = order.slice(a, a + opts.batchSize);
    const prompts = idx.map((i) => jobs[i]!.prompt);
    const room = maxPos - Math.max(...prompts.map((p) => p.length));
    const gen = await model.generate(prompts, {
      max_new_tokens: Math.min(opts.maxNewTokens, room),
      temperature: opts.temperature,
      top_p: opts.top_p,
      stop_ids: opts.stop,
      // one stream per batch, derived from the seed: the same seed gives the same samples
      seed: (Math.imul(opts.seed ^ 0x9e3779b9, 0x85ebca6b) + batch * 0x27d4eb2f) >>> 0,
    });
    idx.forEach((i, j) => (out[i] = { tokens: gen.tokens[j]!, truncated: gen.truncated[j]! }));
    done += idx.length;
    opts.progress?.(done);
  }
  return out;
}

function group(items: EvalItem[], key: (x: EvalItem) => string): Record<string, GroupAccuracy> {
  const acc: Record<string, GroupAccuracy> = {};
  for (const it of items) {
    const g = (acc[key(it)] ??= { accuracy: 0, n: 0 });
    g.accuracy += it.correct;
    g.n++;
  }
  for (const g of Object.values(acc)) g.accuracy /= g.n;
  return acc;
}

export async function evaluate(model: CausalLM, tok: Tokenizer, records: readonly QuestionRecord[], options: EvalOptions = {}): Promise<EvalResult> {
  const maxNewTokens = options.maxNewTokens ?? DEFAULT_EVAL.maxNewTokens;
  const batchSize = options.batchSize ?? DEFAULT_EVAL.batchSize;
  if (!(Number.isInteger(maxNewTokens) && maxNewTokens >= 1)) throw new Error(`maxNewTokens must be a positive integer, got ${maxNewTokens}`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const pk = options.passAtK;
  if (pk && (!(Number.isInteger(pk.n) && pk.n >= 1) || !pk.ks.length || pk.ks.some((k) => !(Number.isInteger(k) && k >= 1 && k <= pk.n)))) {
    throw new Error(`passAtK: every k must be an integer from 1 to n (${pk.n}), got ${pk.ks.join(', ')}`);
  }
  const promptIds = options.promptIds ?? defaultPromptIds;
  const prompts = records.map((q) => promptIds(q, tok));
  const stop = [tok.specials.eos];
  const greedy = await generateAll(
    model,
    prompts.map((prompt, item) => ({ item, prompt })),
    { maxNewTokens, batchSize, temperature: 0, top_p: 1, stop, seed: 0, signal: options.signal, progress: (done) => options.onProgress?.({ phase: 'greedy', done, total: records.length }) },
  );
  const items: EvalItem[] = records.map((q, i) => {
    const g = greedy[i];
    const completion = g ? decodeCompletion(tok, g.tokens) : '';
    const s = g ? scoreCompletion(completion, q) : { correctness: 0, format: 0, chosen: null };
    return { id: q.id, difficulty: q.difficulty, type: q.type, source: String(q.source), completion, chosen: s.chosen, correct: s.correctness, format: s.format, truncated: g?.truncated ?? false };
  });

  let passAtK: EvalResult['passAtK'];
  if (pk) {
    const jobs: Job[] = [];
    records.forEach((_, item) => {
      for (let s = 0; s < pk.n; s++) jobs.push({ item, prompt: prompts[item]! });
    });
    const sampled = await generateAll(model, jobs, { maxNewTokens, batchSize, temperature: pk.temperature, top_p: pk.top_p, stop, seed: pk.seed, signal: options.signal, progress: (done) => options.onProgress?.({ phase: 'sampling', done, total: jobs.length }) });
    const correct = records.map(() => 0);
    sampled.forEach((g, j) => {
      const item = jobs[j]!.item;
      if (g && scoreCompletion(decodeCompletion(tok, g.tokens), records[item]!).correctness === 1) correct[item]!++;
    });
    items.forEach((it, i) => (it.sampledCorrect = correct[i]));
    passAtK = { n: pk.n, temperature: pk.temperature, top_p: pk.top_p, values: Object.fromEntries(pk.ks.map((k) => [`pass@${k}`, meanPassAtK(correct, pk.n, k)])) };
  }

  const n = items.length;
  const perTier = group(items, (x) => x.difficulty);
  const perDifficulty: Partial<Record<Difficulty, GroupAccuracy>> = {};
  for (const d of DIFFICULTIES) if (perTier[d]) perDifficulty[d] = perTier[d];
  return {
    accuracy: n ? items.reduce((s, x) => s + x.correct, 0) / n : 0,
    perDifficulty,
    formatRate: n ? items.reduce((s, x) => s + x.format, 0) / n : 0,
    n,
    perType: group(items, (x) => x.type),
    perSource: group(items, (x) => x.source),
    ...(passAtK ? { passAtK } : {}),
    tooLong: greedy.filter((g) => g === null).length,
    ...(options.keepItems ? { items } : {}),
  };
}

/** the `npm run eval` contract's fields, in its order, then the extras */
export function evalSummary(r: EvalResult): Omit<EvalResult, 'items'> {
  const { accuracy, perDifficulty, formatRate, n, perType, perSource, passAtK, tooLong } = r;
  return { accuracy, perDifficulty, formatRate, n, perType, perSource, ...(passAtK ? { passAtK } : {}), tooLong };
}
