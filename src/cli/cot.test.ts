import review2 from '../trajectories/review2-items.json';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../synthesis/record';
import { defaultGraph } from '../synthesis/test-helpers';
import { CHECK_NAMES } from '../trajectories/types';
import { KgTeacher } from '../trajectories/kg-teacher';
import { questionsOfEveryType } from '../trajectories/test-fixtures';

const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'cot-'));
const questionsFile = join(dir, 'q.jsonl');
let questions: QuestionRecord[];
/** one the KG teacher writes no chain for (an option it has no positive reason against) */
let skippedItem: QuestionRecord;
let teacher: KgTeacher;

beforeAll(async () => {
  const kg = await defaultGraph();
  teacher = new KgTeacher(kg);
  const all = questionsOfEveryType(kg, 3, 4);
  questions = all.filter((q) => teacher.cannotWrite(q) === null);
  // the generator now emits only items the teacher can write for (one shared rule-out rule), so the
  // skipped item is one an earlier generator wrote (physician review round 2, seed 29): Lacazia loboi
  // as a distractor for an onchocerciasis picture, with no shown finding lobomycosis cannot explain
  skippedItem = (review2 as unknown as QuestionRecord[]).find((q) => q.id === 'syn-46787047d259bd0b')!;
  expect(teacher.cannotWrite(skippedItem)).not.toBeNull();
  writeFileSync(questionsFile, questions.map((q) => JSON.stringify(q)).join('\n') + '\n');
}, 120_000);

const run = (...args: string[]) => spawnSync(tsx, ['src/cli/cot.ts', ...args], { encoding: 'utf8' });

describe('npm run cot', () => {
  it('writes one record per question and prints the summary (KG teacher)', () => {
    const out = join(dir, 'cot.jsonl');
    const r = run('--questions', questionsFile, '--k', '3', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(Object.keys(summary).slice(0, 5)).toEqual(['n', 'passAt1', 'passAtK', 'afterRefinement', 'unsupportedClaims']);
    expect(summary).toMatchObject({ n: questions.length, passAt1: 1, passAtK: 1, afterRefinement: 1, unsupportedClaims: 0 });
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.question_id)).toEqual(questions.map((q) => q.id));
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(['question_id', 'trajectories']);
      expect(l.trajectories).toHaveLength(3);
      for (const t of l.trajectories) {
        expect(Object.keys(t)).toEqual(['text', 'teacher', 'round', 'style', 'checks', 'selected']);
        expect(Object.keys(t.checks)).toEqual([...CHECK_NAMES]);
        expect(t.teacher).toBe('kg');
        expect(t.text).toMatch(/^<think>[\s\S]+<\/think><answer>[A-J]<\/answer>$/);
      }
      expect(l.trajectories.filter((t: { selected: boolean }) => t.selected)).toHaveLength(1);
    }
  });

  it('an item the KG teacher has no positive reason for gets a record with why, no trajectories, and is counted apart', () => {
    expect(skippedItem).toBeDefined();
    const file = join(dir, 'with-skip.jsonl');
    writeFileSync(file, [questions[0]!, skippedItem].map((q) => JSON.stringify(q)).join('\n') + '\n');
    const out = join(dir, 'with-skip-cot.jsonl');
    const r = run('--questions', file, '--k', '2', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ n: 2, skipped: 1, passAt1: 1, passAtK: 1, selectedAbsentEdgePhrasings: 0 });
    expect(Object.values(summary.skippedKinds)).toEqual([1]);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[1]).toMatchObject({ question_id: skippedItem.id, skipped: { kind: expect.any(String), reason: expect.stringContaining(skippedItem.id) }, trajectories: [] });
  });

  it('names the file and line of a bad record and writes nothing', () => {
    const bad = join(dir, 'bad.jsonl');
    const lines = questions.slice(0, 3).map((q) => JSON.stringify(q));
    lines.splice(1, 0, JSON.stringify({ ...questions[0]!, id: 'x', answer_idx: 'Z' }));
    writeFileSync(bad, lines.join('\n'));
    const out = join(dir, 'never.jsonl');
    const r = run('--questions', bad, '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}:2: "answer_idx" "Z" is not one of the options`);
    expect(existsSync(out)).toBe(false);
    expect(run('--questions', questionsFile, '--out', out, '--teacher', 'gpt').stderr).toContain('--teacher gpt: expected kg or openai:URL');
    expect(run('--questions', questionsFile, '--out', out, '--teacher', 'openai:http://127.0.0.1:9/v1').stderr).toContain('--model is required');
  });

  it('runs an OpenAI-compatible teacher given as openai:URL', async () => {
    let calls = 0;
    const server = createServer(async (req, res) => {
      let raw = '';
      for await (const c of req) raw += c;
      const body = JSON.parse(raw);
      const q = questions.find((x) => body.messages[1].content.includes(`Question: ${x.question}\n`))!;
      // the first call fails: nothing is stored for it and the run goes on
      if (calls++ === 0) {
        res.writeHead(500).end('boom');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: teacher.write({ question: q, round: 0, candidate: 0, seed: 1 }) } }] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const out = join(dir, 'openai.jsonl');
    const small = join(dir, 'small.jsonl');
    writeFileSync(small, questions.slice(0, 3).map((q) => JSON.stringify(q)).join('\n'));
    const child = spawn(tsx, ['src/cli/cot.ts', '--questions', small, '--k', '2', '--teacher', `openai:${url}`, '--model', 'm', '--retries', '0', '--no-stream', '--concurrency', '1', '--out', out]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((r) => child.on('close', r));
    server.close();
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ n: 3, passAt1: 0.6667, passAtK: 1, afterRefinement: 1, unsupportedClaims: 0, failedCalls: 1, trajectories: 5 });
    expect(stderr).toContain('1 teacher calls failed');
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].trajectories).toHaveLength(1);
    expect(lines[0].trajectories[0].teacher).toBe(`openai:${url}#m`);
  });

  it('an unreachable openai teacher is an error (exit 1, what to do next, nothing written), not a 0% summary', () => {
    const out = join(dir, 'never.jsonl');
    const r = run('--questions', questionsFile, '--k', '2', '--teacher', 'openai:http://127.0.0.1:9/v1', '--model', 'm', '--retries', '0', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/all \d+ calls failed, nothing was stored/);
    expect(r.stderr).toMatch(/could not be reached/);
    expect(existsSync(out)).toBe(false);
  });
});
