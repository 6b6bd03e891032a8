/** `npm run qa -- verify` against a fake chat-completions server started by this test (the CLI runs as a child process). */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'qa-verify-'));
let server: Server;
let base: string;

function run(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(tsx, ['src/cli/qa.ts', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const item = (id: string, question: string) => ({ id, question, options: { A: 'aspirin', B: 'metformin', C: 'insulin glargine', D: 'heparin' }, answer_idx: 'B', answer: 'metformin', difficulty: 'easy', type: 'treatment', source: 'synthetic', status: 'pending' });

beforeAll(async () => {
  // the model agrees with the key except on questions that mention "glargine", where it names C as well
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    const body = JSON.parse(raw);
    const auth = req.headers.authorization;
    const content = auth !== 'Bearer sk-cli' ? 'no key' : /long-acting/.test(body.messages[1].content) ? 'Correct: B, C' : 'Correct: B';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('npm run qa -- verify', () => {
  it('stores votes and verdicts with each item and prints the counts', async () => {
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, [item('q1', 'Which drug lowers hepatic glucose output?'), item('q2', 'Which long-acting drug is used?')].map((x) => JSON.stringify(x)).join('\n') + '\n');
    const out = join(dir, 'out.jsonl');
    const r = await run(['verify', '--endpoint', base, '--model', 'judge', '--k', '3', input, '--out', out], { OPENAI_API_KEY: 'sk-cli' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ n: 2, keep: 1, drop: 1, flag: 0, written: 2, cancelled: false });
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows[0].verification).toMatchObject({ verdict: 'keep', k: 3, agreement: 1, model: 'judge', endpoint: base });
    expect(rows[1].verification).toMatchObject({ verdict: 'drop', counts: { B: 3, C: 3 } });
    expect(rows[1].status).toBe('rejected');
    const excl = await run(['verify', '--endpoint', base, '--model', 'judge', '--k', '3', input, '--out', out, '--exclude-dropped'], { OPENAI_API_KEY: 'sk-cli' });
    expect(JSON.parse(excl.stdout).written).toBe(1);
  });

  it('an unreachable endpoint exits 1 with what to do next', async () => {
    const input = join(dir, 'in2.jsonl');
    writeFileSync(input, Array.from({ length: 5 }, (_, i) => JSON.stringify(item(`d${i}`, `Question ${i}?`))).join('\n'));
    const r = await run(['verify', '--endpoint', 'http://127.0.0.1:9/v1', '--model', 'judge', '--retries', '0', input, '--out', join(dir, 'never.jsonl')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/all \d+ calls failed, nothing was stored/);
    expect(r.stderr).toMatch(/could not be reached/);
  });

  it('names a missing flag', async () => {
    const r = await run(['verify', '--model', 'm', 'x.jsonl', '--out', 'y.jsonl']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--endpoint is required/);
  });
});
