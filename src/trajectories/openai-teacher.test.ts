/**
 * Integration: the OpenAI-compatible teacher against a chat-completions server this
 * test starts on 127.0.0.1, streaming and not, with a 500, a timeout and malformed bodies.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import type { QuestionRecord } from '../synthesis/record';
import { defaultGraph } from '../synthesis/test-helpers';
import { KgTeacher } from './kg-teacher';
import { OpenAiTeacher, type OpenAiTeacherConfig } from './openai-teacher';
import { runAll } from './pipeline';
import { questionsOfEveryType } from './test-fixtures';
import { Verifier } from './verify';

type Behaviour = 'ok' | 'ok-stream' | '500' | 'hang' | 'malformed' | 'malformed-stream' | 'no-done' | '400';

let server: Server;
let base: string;
const queue: Behaviour[] = [];
const received: { body: { model: string; stream: boolean; messages: { role: string; content: string }[] }; auth: string | undefined }[] = [];
let inFlight = 0;
let maxInFlight = 0;
let kg: KnowledgeGraph;
let verifier: Verifier;
let kgTeacher: KgTeacher;
let questions: QuestionRecord[];

/** the answer the fake model gives: the KG teacher's chain for the question in the prompt */
function answerFor(prompt: string): string {
  const q = questions.find((x) => prompt.includes(`Question: ${x.question}\n`));
  return q ? kgTeacher.write({ question: q, round: 0, candidate: 0, seed: 1 }) : '<think>I do not know this question.</think><answer>A</answer>';
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  let raw = '';
  for await (const c of req) raw += c;
  const body = JSON.parse(raw);
  received.push({ body, auth: req.headers.authorization });
  const behaviour = queue.shift() ?? (body.stream ? 'ok-stream' : 'ok');
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  res.on('close', () => inFlight--);
  const content = answerFor(body.messages[1].content);
  await new Promise((r) => setTimeout(r, 20));
  switch (behaviour) {
    case 'ok':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
      return;
    case 'ok-stream':
    case 'malformed-stream':
    case 'no-done': {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const pieces = content.match(/[\s\S]{1,17}/g)!;
      for (const [i, p] of pieces.entries()) {
        if (behaviour === 'malformed-stream' && i === 2) res.write('data: {"choices":[{"delta":{"content":\n\n');
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: p } }] })}\n\n`);
      }
      if (behaviour !== 'no-done') res.write('data: [DONE]\n\n');
      res.end();
      return;
    }
    case '500':
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
      return;
    case '400':
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('bad model');
      return;
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"choices": [ this is not json');
      return;
    case 'hang':
      return; // never answers; the client's timeout must fire
  }
}

beforeAll(async () => {
  kg = await defaultGraph();
  verifier = new Verifier(kg);
  kgTeacher = new KgTeacher(kg);
  // items the KG teacher writes for: its chains are the fake server's replies
  questions = questionsOfEveryType(kg, 2, 21).filter((q) => kgTeacher.cannotWrite(q) === null);
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}, 120_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  queue.length = 0;
  received.length = 0;
  maxInFlight = 0;
});

const teacher = (over: Partial<OpenAiTeacherConfig> = {}) => new OpenAiTeacher({ baseUrl: base, model: 'tiny-teacher', apiKey: 'sk-test', timeoutMs: 2000, retries: 0, backoffMs: 10, ...over });
const req = (q: QuestionRecord, signal?: AbortSignal) => ({ question: q, round: 0, candidate: 0, seed: 1, ...(signal ? { signal } : {}) });

describe('OpenAI-compatible teacher', () => {
  it('non-streaming: sends the question with its gold answer and returns the completion', async () => {
    const q = questions[0]!;
    const text = await teacher({ stream: false }).generate(req(q));
    expect(text).toBe(kgTeacher.write({ question: q, round: 0, candidate: 0, seed: 1 }));
    expect(received).toHaveLength(1);
    expect(received[0]!.auth).toBe('Bearer sk-test');
    expect(received[0]!.body.model).toBe('tiny-teacher');
    expect(received[0]!.body.stream).toBe(false);
    expect(received[0]!.body.messages[1]!.content).toContain(`Correct answer: ${q.answer_idx}. ${q.answer}`);
  });

  it('streaming: assembles the server-sent deltas and reports each one', async () => {
    const q = questions[1]!;
    const deltas: string[] = [];
    const text = await teacher({ stream: true }).generate({ ...req(q), onToken: (d) => deltas.push(d) });
    expect(text).toBe(kgTeacher.write({ question: q, round: 0, candidate: 0, seed: 1 }));
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(text);
  });

  it('a 500 fails the call (with the status) when retries run out, and is retried with backoff otherwise', async () => {
    queue.push('500');
    await expect(teacher().generate(req(questions[0]!))).rejects.toThrow(/HTTP 500: internal error/);
    queue.push('500', '500');
    const t = teacher({ retries: 2, stream: false });
    const started = Date.now();
    await expect(t.generate(req(questions[0]!))).resolves.toContain('<answer>');
    expect(t.attempts).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10 + 20);
  });

  it('a 400 is not retried', async () => {
    queue.push('400', 'ok');
    const t = teacher({ retries: 3 });
    await expect(t.generate(req(questions[0]!))).rejects.toThrow(/HTTP 400/);
    expect(t.attempts).toBe(1);
  });

  it('a server that never answers times out', async () => {
    queue.push('hang');
    const started = Date.now();
    await expect(teacher({ timeoutMs: 300 }).generate(req(questions[0]!))).rejects.toThrow(/timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('malformed bodies fail the call: bad JSON, a bad stream chunk, a stream with no [DONE]', async () => {
    queue.push('malformed');
    await expect(teacher({ stream: false }).generate(req(questions[0]!))).rejects.toThrow(/malformed response body/);
    queue.push('malformed-stream');
    await expect(teacher({ stream: true }).generate(req(questions[0]!))).rejects.toThrow(/malformed stream chunk/);
    queue.push('no-done');
    await expect(teacher({ stream: true }).generate(req(questions[0]!))).rejects.toThrow(/without \[DONE\]/);
  });

  it('cancellation aborts a call in flight and is not retried', async () => {
    queue.push('hang');
    const ctl = new AbortController();
    const t = teacher({ retries: 3, timeoutMs: 10_000 });
    const p = t.generate(req(questions[0]!, ctl.signal));
    setTimeout(() => ctl.abort(), 100);
    await expect(p).rejects.toThrow(/abort/i);
    expect(t.attempts).toBe(1);
  });

  it('keeps at most maxConcurrency requests in flight', async () => {
    const t = teacher({ maxConcurrency: 2 });
    const out = await Promise.all(questions.slice(0, 6).map((q) => t.generate(req(q))));
    expect(out).toHaveLength(6);
    expect(received).toHaveLength(6);
    expect(maxInFlight).toBe(2);
  });

  it('in a pass@k run, failed calls store nothing and the run goes on', async () => {
    const qs = questions.slice(0, 4);
    // item 1: 500 then ok; item 2: timeout then ok; item 3: malformed then ok; item 4: ok, ok
    queue.push('500', 'ok-stream', 'hang', 'ok-stream', 'malformed-stream', 'ok-stream', 'ok-stream', 'ok-stream');
    const t = teacher({ stream: true, timeoutMs: 300, maxConcurrency: 1 });
    const { results, summary } = await runAll(qs, t, verifier, { k: 2, rounds: 0, seed: 1 }, { concurrency: 1 });
    expect(results.map((r) => r.trajectories.length)).toEqual([1, 1, 1, 2]);
    expect(results.map((r) => r.errors.length)).toEqual([1, 1, 1, 0]);
    expect(results[0]!.errors[0]).toMatch(/HTTP 500/);
    expect(results[1]!.errors[0]).toMatch(/timed out/);
    expect(results[2]!.errors[0]).toMatch(/malformed/);
    expect(summary).toMatchObject({ n: 4, passAt1: 0.25, passAtK: 1, failedCalls: 3, trajectories: 5, unsupportedClaims: 0 });
    for (const r of results) for (const tr of r.trajectories) expect(tr.teacher).toBe(`openai:${base}#tiny-teacher`);
  });

  it('rejects a bad configuration with a clear message', () => {
    expect(() => new OpenAiTeacher({ baseUrl: 'not a url', model: 'm' })).toThrow(/not a valid URL/);
    expect(() => new OpenAiTeacher({ baseUrl: 'ftp://x', model: 'm' })).toThrow(/http or https/);
    expect(() => new OpenAiTeacher({ baseUrl: base, model: ' ' })).toThrow(/model name is empty/);
  });
});
