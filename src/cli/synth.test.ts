import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
const run = (...args: string[]) => spawnSync(tsx, ['src/cli/synth.ts', ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'synth-'));

describe('npm run synth', () => {
  it('writes 5,000 verified items with all tiers ≥ 15% and a long-tail shift ≥ 1.5× (seed 1)', () => {
    const out = join(dir, 'q.jsonl');
    const r = run('--n', '5000', '--seed', '1', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(Object.keys(summary).slice(0, 7)).toEqual(['n', 'perDifficulty', 'perType', 'dropped', 'questionsPerSecond', 'rareAnswerShare', 'rareAnswerShareUniform']);
    expect(summary.n).toBe(5000);
    for (const tier of ['easy', 'moderate', 'difficult']) expect(summary.perDifficulty[tier] / 5000, tier).toBeGreaterThanOrEqual(0.15);
    expect(summary.rareAnswerShare).toBeGreaterThanOrEqual(1.5 * summary.rareAnswerShareUniform);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.length).toBe(5000);
    const first = JSON.parse(lines[0]!);
    expect(Object.keys(first).slice(0, 9)).toEqual(['id', 'question', 'options', 'answer_idx', 'answer', 'difficulty', 'type', 'source', 'status']);
    expect(Object.keys(first.provenance)).toEqual(['graph', 'seed', 'alpha', 'metapath', 'hops', 'answer_node', 'evidence', 'distractors', 'features']);
    const counted: Record<string, number> = {};
    for (const l of lines) {
      const q = JSON.parse(l);
      counted[q.difficulty] = (counted[q.difficulty] ?? 0) + 1;
    }
    expect(counted).toEqual(summary.perDifficulty);
  });

  it('gives the same file for the same seed', () => {
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    expect(run('--n', '200', '--seed', '9', '--types', 'diagnosis,mechanism', '--alpha', '0.5', '--out', a).status).toBe(0);
    expect(run('--n', '200', '--seed', '9', '--types', 'diagnosis,mechanism', '--alpha', '0.5', '--out', b).status).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(new Set(readFileSync(a, 'utf8').trim().split('\n').map((l) => JSON.parse(l).type))).toEqual(new Set(['diagnosis', 'mechanism']));
  });

  it('rejects bad options by name and writes nothing', () => {
    const out = join(dir, 'never.jsonl');
    const cases: [string[], RegExp][] = [
      [['--n', '10', '--seed', '1'], /--out is required/],
      [['--n', 'ten', '--seed', '1', '--out', out], /--n ten: expected a positive integer/],
      [['--n', '10', '--seed', '1', '--out', out, '--types', 'diagnosis,astrology'], /--types: unknown type "astrology"/],
      [['--n', '10', '--seed', '1', '--out', out, '--options', '12'], /--options 12: expected an integer from 3 to 10/],
      [['--n', '10', '--seed', '1', '--out', out, '--colour', 'red'], /unknown option --colour/],
    ];
    for (const [args, msg] of cases) {
      const r = run(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    const missing = run('--n', '10', '--seed', '1', '--out', out, '--graph', '/nonexistent/g.json');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/\/nonexistent\/g\.json: cannot read \(ENOENT\)/);
    expect(existsSync(out)).toBe(false);
  });
});
