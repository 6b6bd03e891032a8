/**
 * The LLM verifier against a chat-completions server this test starts on 127.0.0.1:
 * each question has a script of replies (one per call), so the votes are known and the
 * verdicts can be checked: unanimous, split, a different key, a second correct option,
 * unreadable replies, 500s, timeouts, an unreachable server and cancellation.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EndpointUnavailableError } from '../../trajectories/call-health';
import type { QuestionRecord } from '../record';
import { parseVote, verifyMessages } from './prompt';
import { LlmVerifier, verifyAll, withVerification, type LlmVerifierConfig } from './verifier';
import { judge } from './vote';

type Step = string | { status: number } | 'hang' | 'malformed';

let server: Server;
let base: string;
/** per question stem: the replies of its successive calls (the last one repeats) */
const scripts = new Map<string, Step[]>();
const calls = new Map<string, number>();
const bodies: { temperature: number; messages: { role: string; content: string }[] }[] = [];
let inFlight = 0;
let maxInFlight = 0;

const q = (id: string, key = 'B', status: QuestionRecord['status'] = 'pending'): QuestionRecord => ({
  id,
  question: `Stem of ${id}: which drug is used to treat the condition?`,
  options: { A: 'aspirin', B: 'metformin', C: 'insulin glargine', D: 'heparin' },
  answer_idx: key,
  answer: { A: 'aspirin', B: 'metformin', C: 'insulin glargine', D: 'heparin' }[key]!,
  difficulty: 'moderate',
  type: 'treatment',
  source: 'synthetic',
  status,
});

async function handle(req: IncomingMessage, res: ServerResponse) {
  let raw = '';
  for await (const c of req) raw += c;
  const body = JSON.parse(raw);
  bodies.push(body);
  const stem = /Question: (.*)\n/.exec(body.messages[1].content)![1]!;
  const n = calls.get(stem) ?? 0;
  calls.set(stem, n + 1);
  const script = scripts.get(stem) ?? ['Correct: B'];
  const step = script[Math.min(n, script.length - 1)]!;
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  res.on('close', () => inFlight--);
  await new Promise((r) => setTimeout(r, 10));
  if (step === 'hang') return;
  if (step === 'malformed') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"choices": [ nope');
    return;
  }
  if (typeof step === 'object') {
    res.writeHead(step.status, { 'content-type': 'text/plain' });
    res.end('server says no');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: step }, finish_reason: 'stop' }] }));
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  scripts.clear();
  calls.clear();
  bodies.length = 0;
  maxInFlight = 0;
});

const verifier = (over: Partial<LlmVerifierConfig> = {}) => new LlmVerifier({ baseUrl: base, model: 'judge', k: 5, retries: 0, backoffMs: 5, timeoutMs: 2000, ...over });
const script = (item: QuestionRecord, steps: Step[]) => scripts.set(item.question, steps);
const reasoning = (letters: string) => `The findings fit a metabolic disorder; weighing each option in turn.\nCorrect: ${letters}`;

describe('LLM verifier against a fake OpenAI-compatible server', () => {
  it('asks k times without the key, at a temperature above 0, and keeps an item all votes answer with the key', async () => {
    const item = q('unanimous');
    script(item, [reasoning('B')]);
    const { verification, errors } = await verifier().verifyItem(item);
    expect(errors).toEqual([]);
    expect(bodies).toHaveLength(5);
    for (const b of bodies) {
      expect(b.temperature).toBeGreaterThan(0);
      const prompt = b.messages.map((m) => m.content).join('\n');
      expect(prompt).not.toMatch(/correct answer: B|answer is B/i);
      expect(prompt).toContain('B. metformin');
    }
    expect(verification).toMatchObject({ method: 'llm_vote', model: 'judge', k: 5, key: 'B', readable: 5, agreement: 1, verdict: 'keep', counts: { A: 0, B: 5, C: 0, D: 0 } });
    expect(verification!.votes.every((v) => v.letters?.join() === 'B')).toBe(true);
  });

  it('split votes below the threshold flag the item', async () => {
    const item = q('split');
    script(item, [reasoning('B'), reasoning('C'), reasoning('B'), reasoning('C'), reasoning('B')]);
    const { verification } = await verifier({ maxConcurrency: 1 }).verifyItem(item);
    expect(verification).toMatchObject({ verdict: 'flag', agreement: 0.6, counts: { B: 3, C: 2 } });
    expect(verification!.reason).toMatch(/3 of 5 readable votes name only the key B \(below 80%\); also named: C ×2/);
  });

  it('a majority for another option drops the item; a pending item is rejected with a history note, an accepted one stays', async () => {
    const item = q('other-key');
    script(item, [reasoning('C'), reasoning('C'), reasoning('B'), reasoning('C'), reasoning('C')]);
    const { verification } = await verifier({ maxConcurrency: 1 }).verifyItem(item);
    expect(verification).toMatchObject({ verdict: 'drop', agreement: 0.2 });
    expect(verification!.reason).toMatch(/4 of 5 readable votes pick C, only 1 the key B/);
    const rejected = withVerification(item, verification!);
    expect(rejected.status).toBe('rejected');
    expect(rejected.history).toEqual([{ at: verification!.at, before: { status: 'pending' }, note: expect.stringMatching(/^LLM verifier \(judge\): 4 of 5/) }]);
    expect(withVerification(q('other-key', 'B', 'accepted'), verification!).status).toBe('accepted');
  });

  it('a majority naming a second correct option drops the item', async () => {
    const item = q('second');
    script(item, [reasoning('B, C'), reasoning('B and C'), reasoning('B'), `<answer>B, C</answer>`, reasoning('B')]);
    const { verification } = await verifier({ maxConcurrency: 1 }).verifyItem(item);
    expect(verification!.verdict).toBe('drop');
    expect(verification!.reason).toMatch(/3 of 5 readable votes name C as correct as well as the key B: a second correct option/);
  });

  it('unreadable replies count as no vote: all unreadable flags, a readable majority still decides', async () => {
    const none = q('unreadable');
    script(none, ['I would need more information about this patient.']);
    expect((await verifier().verifyItem(none)).verification).toMatchObject({ verdict: 'flag', readable: 0, reason: 'none of the 5 replies named an option' });
    const mixed = q('mixed');
    script(mixed, [reasoning('B'), 'hmm', reasoning('B'), 'Correct: Z', reasoning('B')]);
    const v = (await verifier({ maxConcurrency: 1 }).verifyItem(mixed)).verification!;
    expect(v).toMatchObject({ verdict: 'keep', readable: 3, agreement: 1 });
    expect(v.votes.filter((x) => x.letters === null).map((x) => x.error)).toEqual([expect.stringMatching(/no "Correct: …" line/), expect.stringMatching(/no option letter in "Z"/)]);
  });

  it('a 500 is retried; calls that still fail, malformed bodies and timeouts are failed votes', async () => {
    const retried = q('retried');
    script(retried, [{ status: 500 }, reasoning('B')]);
    const v1 = await verifier({ k: 1, retries: 1 }).verifyItem(retried);
    expect(v1.verification).toMatchObject({ verdict: 'keep', readable: 1 });
    const failing = q('failing');
    script(failing, [{ status: 500 }, 'malformed', 'hang', reasoning('B'), reasoning('B')]);
    const v2 = await verifier({ maxConcurrency: 1, timeoutMs: 300 }).verifyItem(failing);
    expect(v2.errors).toEqual([expect.stringMatching(/vote 1: .*HTTP 500/), expect.stringMatching(/vote 2: .*malformed response body/), expect.stringMatching(/vote 3: .*timed out after 300 ms/)]);
    // 2 readable of 5 is fewer than half: a person should look
    expect(v2.verification).toMatchObject({ verdict: 'flag', readable: 2, reason: 'only 2 of 5 replies could be read' });
  });

  it('an item whose calls all fail gets no verification; the run goes on', async () => {
    const dead = q('dead');
    script(dead, [{ status: 503 }]);
    const alive = q('alive');
    script(alive, [reasoning('B')]);
    const { results, summary } = await verifyAll([alive, dead, q('alive-2')], verifier({ k: 3 }), { concurrency: 1 });
    expect(results.map((r) => r.verification?.verdict ?? null)).toEqual(['keep', null, 'keep']);
    expect(results[1]!.errors).toHaveLength(3);
    expect(results[1]!.question).toBe(dead);
    expect(summary).toMatchObject({ n: 3, keep: 2, flag: 0, drop: 0, unverified: 1, failedCalls: 3, meanAgreement: 1 });
  });

  it('keeps at most maxConcurrency requests in flight over a run and stores the verdict on each record', async () => {
    const items = Array.from({ length: 6 }, (_, i) => q(`many-${i}`));
    script(items[2]!, [reasoning('D')]);
    const { results } = await verifyAll(items, verifier({ k: 3, maxConcurrency: 2 }), { concurrency: 4 });
    expect(maxInFlight).toBe(2);
    expect(results.map((r) => r.question.verification?.verdict)).toEqual(['keep', 'keep', 'drop', 'keep', 'keep', 'keep']);
    expect(results[2]!.question.status).toBe('rejected');
  });

  it('an unreachable server is an error with what to do next, and the run stops early', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const v = new LlmVerifier({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'judge', k: 5, retries: 0 });
    const items = Array.from({ length: 40 }, (_, i) => q(`down-${i}`));
    const err = await verifyAll(items, v, { concurrency: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(EndpointUnavailableError);
    expect(err.message).toMatch(/all \d+ calls failed, nothing was stored/);
    expect(err.message).toMatch(/could not be reached: check that it is running/);
    expect(v.chat.attempts).toBeLessThan(40 * 5);
  });

  it('cancel stops the run and returns what finished', async () => {
    const items = Array.from({ length: 8 }, (_, i) => q(`cancel-${i}`));
    for (const it of items.slice(2)) script(it, ['hang']);
    const ctl = new AbortController();
    const run = verifyAll(items, verifier({ k: 2, timeoutMs: 10_000 }), { concurrency: 1, signal: ctl.signal, onItem: (_r, done) => void (done === 2 && setTimeout(() => ctl.abort(), 50)) });
    const { results, cancelled } = await run;
    expect(cancelled).toBe(true);
    expect(results.map((r) => r.question.id)).toEqual(['cancel-0', 'cancel-1']);
  });

  it('rejects a bad configuration with a clear message', () => {
    expect(() => verifier({ temperature: 0 })).toThrow(/temperature must be above 0/);
    expect(() => verifier({ k: 0 })).toThrow(/k must be an integer/);
    expect(() => new LlmVerifier({ baseUrl: 'nope', model: 'm' })).toThrow(/verifier base URL "nope" is not a valid URL/);
  });
});

describe('reading a vote', () => {
  const L = ['A', 'B', 'C', 'D'];
  const read = (s: string) => {
    const p = parseVote(s, L);
    return 'letters' in p ? p.letters.join(',') : null;
  };
  it('accepts the requested line, tags, JSON, "the answer is" and bare letters', () => {
    expect(read('Some reasoning.\nCorrect: B')).toBe('B');
    expect(read('Correct options: A and D')).toBe('A,D');
    expect(read('Correct: (C). Insulin glargine is a long-acting insulin.')).toBe('C');
    expect(read('Correct: B — because A is an antiplatelet drug')).toBe('B');
    expect(read('Incorrect: A, C\nCorrect: B')).toBe('B');
    expect(read('<think>Maybe A? Correct: A</think>\nCorrect: B')).toBe('B');
    expect(read('<answer>A, C</answer>')).toBe('A,C');
    expect(read('{"correct": ["D", "A"]}')).toBe('A,D');
    expect(read('So the answer is (C).')).toBe('C');
    expect(read('B')).toBe('B');
    expect(read('Correct: none')).toBe('');
    expect(read('Correct: B\nCorrect: C')).toBe('C');
  });
  it('rejects replies that name no option of the item', () => {
    expect(read('Correct: E')).toBeNull();
    expect(read('I am not sure.')).toBeNull();
    expect(read('')).toBeNull();
  });
  it('the prompt lists the options and asks for every correct one', () => {
    const m = verifyMessages(q('p'));
    expect(m[0]!.content).toMatch(/more than one, or none/);
    expect(m[1]!.content).toContain('A. aspirin\nB. metformin\nC. insulin glargine\nD. heparin');
  });
});

describe('judging votes', () => {
  const v = (l: string | null) => ({ letters: l === null ? null : l ? l.split('') : [] });
  it('keep, flag and drop at the edges of the majority and the threshold', () => {
    const L = ['A', 'B', 'C', 'D'];
    expect(judge(['B', 'B', 'B', 'B', 'C'].map(v), 'B', L, 0.8).verdict).toBe('keep');
    expect(judge(['B', 'B', 'B', 'C', 'C'].map(v), 'B', L, 0.8).verdict).toBe('flag');
    expect(judge(['B', 'B', 'B', 'C', 'C'].map(v), 'B', L, 0.6).verdict).toBe('keep');
    expect(judge(['C', 'C', 'C', 'B', 'B'].map(v), 'B', L, 0.8).verdict).toBe('drop');
    // two of four for a rival is not a majority
    expect(judge(['C', 'C', 'B', 'B'].map(v), 'B', L, 0.8).verdict).toBe('flag');
    expect(judge(['', '', '', 'B', 'B'].map(v), 'B', L, 0.8)).toMatchObject({ verdict: 'flag', agreement: 0.4 });
    expect(judge(['BD', 'BD', 'BD', 'B', 'B'].map(v), 'B', L, 0.8).reason).toMatch(/second correct option/);
  });
});
