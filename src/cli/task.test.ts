import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
const run = (...args: string[]) => spawnSync(tsx, ['src/cli/task.ts', ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'task-'));
const lines = (f: string) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('npm run task', () => {
  it('closed-book writes the splits, the cold start, the vocabulary and the manifest', () => {
    const out = join(dir, 'cb');
    const r = run('closed-book', '--out', out, '--seed', '1');
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.counts.heldout.n).toBeGreaterThanOrEqual(600);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files).toEqual({ train: 'train.jsonl', heldout: 'heldout.jsonl', sftQuestions: 'sft-questions.jsonl', trajectories: 'trajectories.jsonl', sft: 'sft.jsonl', facts: 'facts.jsonl', vocabulary: 'vocabulary.json', manifest: 'manifest.json' });
    const train = lines(join(out, 'train.jsonl'));
    const heldout = lines(join(out, 'heldout.jsonl'));
    expect(train.length).toBe(summary.counts.train.n);
    expect(heldout.length).toBe(summary.counts.heldout.n);
    const sftIds = new Set(lines(join(out, 'sft-questions.jsonl')).map((q) => q.id));
    const trajectories = lines(join(out, 'trajectories.jsonl'));
    expect(trajectories.map((t) => t.question_id).every((id) => sftIds.has(id))).toBe(true);
    expect(trajectories[0].trajectories[0]).toMatchObject({ teacher: 'kg-chain', round: 0, selected: true });
    const sft = lines(join(out, 'sft.jsonl'));
    expect(sft[0].prompt.endsWith('\n')).toBe(true);
    expect(sft[0].completion).toMatch(/^<think>.*<\/think><answer>.*<\/answer>$/);
    const vocab = JSON.parse(readFileSync(join(out, 'vocabulary.json'), 'utf8'));
    expect(vocab.added_tokens.length).toBe(4 + vocab.relations.length + vocab.entities.length);
    expect(lines(join(out, 'facts.jsonl')).length).toBe(manifest.region.facts);
    // determinism per seed is asserted on the builder (training/task/closed-book.test.ts)
  });

  it('open-book adds context and splits; scale-out writes the bundle', () => {
    const out = join(dir, 'cb');
    const ob = join(dir, 'ob');
    const r = run('open-book', '--questions', join(out, 'heldout.jsonl'), '--out', ob, '--seed', '3');
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.heldout).toBeGreaterThan(0);
    expect(s.train).toBeGreaterThan(0);
    expect(lines(join(ob, 'heldout.jsonl'))[0].context.length).toBeGreaterThan(1);
    const so = join(dir, 'so');
    const b = run('scale-out', '--train', join(out, 'train.jsonl'), '--heldout', join(out, 'heldout.jsonl'), '--trajectories', join(out, 'trajectories.jsonl'), '--out', so);
    expect(b.status, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).files).toContain('reward.py');
    expect(lines(join(so, 'data/sft.jsonl')).length).toBe(lines(join(out, 'trajectories.jsonl')).length);
  });

  it('usage errors name the flag', () => {
    const r = run('closed-book', '--out', join(dir, 'x'), '--relations', 'is_a,cures');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--relations: unknown relation "cures"/);
    expect(run('frobnicate').stderr).toMatch(/unknown command "frobnicate"/);
    expect(run('closed-book').stderr).toMatch(/--out is required/);
    expect(run('closed-book', '--out', join(dir, 'x'), '--sft-facts', 'maybe').stderr).toMatch(/--sft-facts: "maybe" is not one of choice, recall, both/);
  });
});
