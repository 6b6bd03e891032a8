/**
 * A client for any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp
 * server, Ollama, LM Studio …), shared by the teacher and the LLM verifier: streaming
 * (server-sent events) or not, a timeout per attempt, retries with exponential backoff on
 * transient failures (network, timeout, 408/429/5xx, a malformed body), Retry-After
 * honoured, cancellation through the caller's AbortSignal, and a limit on requests in
 * flight. The API key lives only in this object; persisting it is the caller's decision.
 */
import { createParser } from 'eventsource-parser';
import { abortError, Limiter } from './limiter';
import type { ChatMessage } from './prompt';

export interface OpenAiChatConfig {
  /** e.g. "http://127.0.0.1:8000/v1" (…/chat/completions is appended unless already there) */
  baseUrl: string;
  model: string;
  apiKey?: string;
  stream?: boolean;
  /** per attempt, in ms */
  timeoutMs?: number;
  /** extra attempts after the first */
  retries?: number;
  /** first backoff; doubles each retry */
  backoffMs?: number;
  maxConcurrency?: number;
  temperature?: number;
  maxTokens?: number;
  fetch?: typeof fetch;
}

export class TeacherHttpError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export const OPENAI_DEFAULTS = { stream: true, timeoutMs: 60_000, retries: 2, backoffMs: 500, maxConcurrency: 4, temperature: 0.7, maxTokens: 1024 } as const;

export interface CompleteOptions {
  signal?: AbortSignal;
  /** streamed text as it arrives */
  onToken?: (delta: string) => void;
}

export class OpenAiChat {
  /** "…/v1" without a trailing slash, as given */
  readonly base: string;
  /** the full chat-completions URL */
  readonly url: string;
  readonly cfg: Required<Omit<OpenAiChatConfig, 'apiKey' | 'fetch'>> & Pick<OpenAiChatConfig, 'apiKey'>;
  private readonly limiter: Limiter;
  private readonly fetchImpl: typeof fetch;
  /** attempts made, failed ones included (for progress and tests) */
  attempts = 0;

  constructor(config: OpenAiChatConfig) {
    let parsed: URL;
    try {
      parsed = new URL(config.baseUrl);
    } catch {
      throw new Error(`base URL "${config.baseUrl}" is not a valid URL`);
    }
    if (!/^https?:$/.test(parsed.protocol)) throw new Error(`base URL "${config.baseUrl}" must be http or https`);
    if (!config.model.trim()) throw new Error('model name is empty');
    const base = config.baseUrl.replace(/\/+$/, '');
    this.base = base;
    this.url = /\/chat\/completions$/.test(base) ? base : `${base}/chat/completions`;
    this.cfg = { ...OPENAI_DEFAULTS, ...stripUndefined(config), baseUrl: base, model: config.model };
    this.limiter = new Limiter(this.cfg.maxConcurrency);
    this.fetchImpl = config.fetch ?? ((...a) => fetch(...a));
  }

  /** the assistant's reply to `messages`; throws TeacherHttpError when every attempt failed */
  complete(messages: ChatMessage[], opts: CompleteOptions = {}): Promise<string> {
    return this.limiter.run(() => this.withRetries(messages, opts), opts.signal);
  }

  private async withRetries(messages: ChatMessage[], opts: CompleteOptions): Promise<string> {
    let last: unknown;
    for (let attempt = 0; attempt <= this.cfg.retries; attempt++) {
      if (opts.signal?.aborted) throw abortError(opts.signal);
      try {
        return await this.once(messages, opts);
      } catch (e) {
        if (opts.signal?.aborted) throw abortError(opts.signal);
        last = e;
        const retryable = e instanceof TeacherHttpError ? e.retryable : true;
        if (!retryable || attempt === this.cfg.retries) break;
        const wait = e instanceof RetryAfter ? e.ms : this.cfg.backoffMs * 2 ** attempt;
        await sleep(wait, opts.signal);
      }
    }
    const msg = last instanceof Error ? last.message : String(last);
    throw new TeacherHttpError(`${this.url}: ${msg}`, last instanceof TeacherHttpError ? last.status : null, false);
  }

  private async once(messages: ChatMessage[], opts: CompleteOptions): Promise<string> {
    this.attempts++;
    const timeout = AbortSignal.timeout(this.cfg.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const body = {
      model: this.cfg.model,
      messages,
      stream: this.cfg.stream,
      temperature: this.cfg.temperature,
      max_tokens: this.cfg.maxTokens,
    };
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: this.cfg.stream ? 'text/event-stream' : 'application/json' };
    if (this.cfg.apiKey) headers.authorization = `Bearer ${this.cfg.apiKey}`;
    try {
      const res = await this.fetchImpl(this.url, { method: 'POST', headers, body: JSON.stringify(body), signal });
      if (!res.ok) {
        const text = (await res.text().catch(() => '')).slice(0, 200);
        const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
        const ra = Number(res.headers.get('retry-after'));
        if (retryable && Number.isFinite(ra) && ra > 0 && ra <= 60) throw new RetryAfter(`HTTP ${res.status}${text ? `: ${text}` : ''}`, ra * 1000, res.status);
        throw new TeacherHttpError(`HTTP ${res.status}${text ? `: ${text}` : ''}`, res.status, retryable);
      }
      const type = res.headers.get('content-type') ?? '';
      const content = this.cfg.stream && type.includes('text/event-stream') ? await readStream(res, opts.onToken) : readJson(await res.text());
      if (!content.trim()) throw new TeacherHttpError('empty completion', res.status, true);
      return content;
    } catch (e) {
      if (timeout.aborted && !opts.signal?.aborted) throw new TeacherHttpError(`timed out after ${this.cfg.timeoutMs} ms`, null, true);
      throw e;
    }
  }
}

class RetryAfter extends TeacherHttpError {
  constructor(
    message: string,
    readonly ms: number,
    status: number,
  ) {
    super(message, status, true);
  }
}

function readJson(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TeacherHttpError(`malformed response body (not JSON): ${text.slice(0, 80)}`, 200, true);
  }
  const content = (json as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw new TeacherHttpError('malformed response: no choices[0].message.content', 200, true);
  return content;
}

async function readStream(res: Response, onToken?: (delta: string) => void): Promise<string> {
  if (!res.body) throw new TeacherHttpError('streaming response without a body', res.status, true);
  let out = '';
  let done = false;
  let bad: string | null = null;
  const parser = createParser({
    onEvent(ev) {
      if (done || bad) return;
      if (ev.data === '[DONE]') {
        done = true;
        return;
      }
      let chunk: { choices?: { delta?: { content?: unknown }; finish_reason?: unknown }[] };
      try {
        chunk = JSON.parse(ev.data);
      } catch {
        bad = `malformed stream chunk: ${ev.data.slice(0, 80)}`;
        return;
      }
      const delta = chunk?.choices?.[0]?.delta?.content;
      if (delta !== undefined && delta !== null && typeof delta !== 'string') {
        bad = 'malformed stream chunk: delta.content is not a string';
        return;
      }
      if (delta) {
        out += delta;
        onToken?.(delta);
      }
    },
  });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    parser.feed(value);
    if (bad) {
      await reader.cancel().catch(() => {});
      throw new TeacherHttpError(bad, res.status, true);
    }
    if (done) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  if (!done) throw new TeacherHttpError('stream ended without [DONE]', res.status, true);
  return out;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
