/**
 * The LLM verifier pass: for each question, k independent calls (temperature > 0) to
 * an OpenAI-compatible endpoint asking which options are correct, read into votes and
 * judged (vote.ts). Requests go through the shared chat client (timeouts, retries,
 * cancel, a limit on requests in flight). A failed call is a vote that could not be
 * read; an item whose k calls all failed gets no verification; a run whose calls all
 * fail is an error (EndpointUnavailableError), and stops early when its first calls do.
 */
import { CallHealth } from '../../trajectories/call-health';
import { runInLanes } from '../../trajectories/lanes';
import { OpenAiChat, type OpenAiChatConfig } from '../../trajectories/openai-chat';
import { parseVote, verifyMessages } from './prompt';
import type { LlmVerdict, LlmVerification, LlmVote } from './types';
import { judge } from './vote';
import type { QuestionRecord } from '../record';

export interface LlmVerifierConfig extends Omit<OpenAiChatConfig, 'stream'> {
  /** votes per item (the paper: 5) */
  k?: number;
  /** flag when fewer than this share of the readable votes name only the key (default 0.8: 4 of 5) */
  threshold?: number;
  stream?: boolean;
}

export const VERIFY_DEFAULTS = { k: 5, threshold: 0.8, temperature: 0.7, maxTokens: 2048, timeoutMs: 120_000 } as const;

export class LlmVerifier {
  readonly chat: OpenAiChat;
  readonly k: number;
  readonly threshold: number;
  readonly model: string;

  constructor(config: LlmVerifierConfig) {
    const k = config.k ?? VERIFY_DEFAULTS.k;
    if (!(Number.isInteger(k) && k >= 1 && k <= 32)) throw new Error(`k must be an integer from 1 to 32, got ${k}`);
    const threshold = config.threshold ?? VERIFY_DEFAULTS.threshold;
    if (!(threshold >= 0 && threshold <= 1)) throw new Error(`threshold must be between 0 and 1, got ${threshold}`);
    const temperature = config.temperature ?? VERIFY_DEFAULTS.temperature;
    if (!(temperature > 0)) throw new Error(`temperature must be above 0 so the k votes are independent samples, got ${temperature}`);
    try {
      this.chat = new OpenAiChat({ maxTokens: VERIFY_DEFAULTS.maxTokens, timeoutMs: VERIFY_DEFAULTS.timeoutMs, ...config, temperature, stream: config.stream ?? false });
    } catch (e) {
      throw new Error(`verifier ${(e as Error).message}`);
    }
    this.k = k;
    this.threshold = threshold;
    this.model = config.model;
  }

  /** the k votes for one item (failed calls included as unreadable votes), judged */
  async verifyItem(q: QuestionRecord, opts: { signal?: AbortSignal; health?: CallHealth; now?: () => string } = {}): Promise<{ verification: LlmVerification | null; errors: string[] }> {
    const letters = Object.keys(q.options);
    const messages = verifyMessages(q);
    const errors: string[] = [];
    const votes = await Promise.all(
      Array.from({ length: this.k }, async (_, i): Promise<LlmVote> => {
        let reply: string;
        try {
          reply = await this.chat.complete(messages, opts.signal ? { signal: opts.signal } : {});
        } catch (e) {
          if (opts.signal?.aborted) throw e;
          const msg = (e as Error).message;
          opts.health?.failure(msg);
          errors.push(`vote ${i + 1}: ${msg}`);
          return { letters: null, error: msg };
        }
        opts.health?.success();
        const parsed = parseVote(reply, letters);
        const tail = reply.length > 600 ? `…${reply.slice(-600)}` : reply;
        return 'letters' in parsed ? { letters: parsed.letters, reply: tail } : { letters: null, reply: tail, error: parsed.error };
      }),
    );
    if (votes.every((v) => v.letters === null && v.reply === undefined)) return { verification: null, errors };
    const j = judge(votes, q.answer_idx, letters, this.threshold);
    return {
      verification: {
        method: 'llm_vote',
        endpoint: this.chat.base,
        model: this.model,
        k: this.k,
        temperature: this.chat.cfg.temperature,
        key: q.answer_idx,
        votes,
        readable: j.readable,
        counts: j.counts,
        agreement: j.agreement,
        threshold: this.threshold,
        verdict: j.verdict,
        reason: j.reason,
        at: (opts.now ?? (() => new Date().toISOString()))(),
      },
      errors,
    };
  }
}

export interface VerifyItemResult {
  /** the record with its verification attached (and, for a drop of a pending item, rejected) */
  question: QuestionRecord;
  verification: LlmVerification | null;
  errors: string[];
}

export interface VerifySummary {
  n: number;
  keep: number;
  flag: number;
  drop: number;
  /** items whose k calls all failed (nothing stored for them) */
  unverified: number;
  failedCalls: number;
  unreadableVotes: number;
  /** mean agreement over verified items */
  meanAgreement: number;
}

export interface VerifyRunHooks {
  signal?: AbortSignal;
  /** items in flight at once (the client limits requests further) */
  concurrency?: number;
  now?: () => string;
  /** called as each item finishes (e.g. to save it) */
  onItem?: (r: VerifyItemResult, done: number, total: number) => void | Promise<void>;
}

/**
 * Verifies every question; results keep the input order. On cancel, what finished is
 * returned with `cancelled: true`. Throws EndpointUnavailableError when no call works.
 */
export async function verifyAll(questions: QuestionRecord[], verifier: LlmVerifier, hooks: VerifyRunHooks = {}): Promise<{ results: VerifyItemResult[]; summary: VerifySummary; cancelled: boolean }> {
  const health = new CallHealth(Math.max(8, verifier.k));
  const results = await runInLanes(
    questions,
    async (q, signal): Promise<VerifyItemResult> => {
      const r = await verifier.verifyItem(q, { signal, health, ...(hooks.now ? { now: hooks.now } : {}) });
      return { question: r.verification ? withVerification(q, r.verification) : q, verification: r.verification, errors: r.errors };
    },
    { concurrency: hooks.concurrency ?? 4, health, ...(hooks.signal ? { signal: hooks.signal } : {}), ...(hooks.onItem ? { onItem: hooks.onItem } : {}) },
  );
  if (health.hopeless || (health.allFailed && !hooks.signal?.aborted)) throw health.error(`LLM verifier at ${verifier.chat.url} (model ${verifier.model})`);
  const finished = results.filter((r): r is VerifyItemResult => r !== undefined);
  return { results: finished, summary: summarizeVerification(finished), cancelled: !!hooks.signal?.aborted && finished.length < questions.length };
}

/** the record with this verification stored; a drop rejects an item nobody has decided on yet (a curator's accept stands) */
export function withVerification(q: QuestionRecord, v: LlmVerification): QuestionRecord {
  const next: QuestionRecord = { ...q, verification: v };
  if (v.verdict !== 'drop' || q.status !== 'pending') return next;
  // the same history entry a curator's edit leaves, so the change can be seen and undone
  return { ...next, status: 'rejected', history: [...(q.history ?? []), { at: v.at, before: { status: q.status }, note: `LLM verifier (${v.model}): ${v.reason}` }] };
}

export function summarizeVerification(results: VerifyItemResult[]): VerifySummary {
  const count = (v: LlmVerdict) => results.filter((r) => r.verification?.verdict === v).length;
  const verified = results.filter((r) => r.verification);
  return {
    n: results.length,
    keep: count('keep'),
    flag: count('flag'),
    drop: count('drop'),
    unverified: results.length - verified.length,
    failedCalls: results.reduce((s, r) => s + r.errors.length, 0),
    unreadableVotes: verified.reduce((s, r) => s + r.verification!.votes.filter((v) => v.letters === null).length, 0),
    meanAgreement: verified.length ? Math.round((verified.reduce((s, r) => s + r.verification!.agreement, 0) / verified.length) * 1e4) / 1e4 : 0,
  };
}
