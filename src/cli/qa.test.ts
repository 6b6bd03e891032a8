import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';

const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
const run = (...args: string[]) => spawnSync(tsx, ['src/cli/qa.ts', ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'qa-'));
const fixture = (f: string) => join(process.cwd(), 'src/synthesis/import/fixtures', f);
const readJsonl = (f: string) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('npm run qa', () => {
  it('imports MedQA and MMLU samples and prints {n, skipped}', () => {
    const out = join(dir, 'medqa.jsonl');
    const r = run('import', '--format', 'medqa', fixture('medqa-us-4opt-sample.jsonl'), '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ n: 20, skipped: {} });
    expect(readJsonl(out)[0]).toMatchObject({ source: 'medqa', answer_idx: 'B', status: 'pending' });
    const mm = run('import', '--format', 'mmlu', fixture('mmlu-anatomy-dev.csv'), '--out', join(dir, 'mmlu.jsonl'));
    expect(JSON.parse(mm.stdout)).toEqual({ n: 5, skipped: {} });
    expect(readJsonl(join(dir, 'mmlu.jsonl'))[0].meta).toEqual({ subject: 'mmlu-anatomy' });
  });

  it('lists bad rows by file and line and writes nothing, unless --skip-bad', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, ['{"id":"1","question":"Q?","opa":"a","opb":"b","opc":"c","opd":"d","cop":0}', '{"id":"2","question":"Q2?","opa":"a","opb":"b","opc":"c","opd":"d","cop":7}', 'not json'].join('\n'));
    const out = join(dir, 'mc.jsonl');
    const r = run('import', '--format', 'medmcqa', bad, '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}:2: bad_answer:`);
    expect(r.stderr).toContain(`${bad}:3: invalid_json:`);
    expect(r.stderr).toMatch(/nothing was written/);
    expect(existsSync(out)).toBe(false);
    const ok = run('import', '--format', 'medmcqa', bad, '--out', out, '--skip-bad');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ n: 1, skipped: { bad_answer: 1, invalid_json: 1 } });
    expect(readJsonl(out)).toHaveLength(1);
  });

  it('mixes by share and exports verl parquet that reads back, plus a card', async () => {
    const syn = join(dir, 'syn.jsonl');
    expect(spawnSync(tsx, ['src/cli/synth.ts', '--n', '120', '--seed', '4', '--out', syn], { encoding: 'utf8' }).status).toBe(0);
    run('import', '--format', 'medqa', fixture('medqa-us-4opt-sample.jsonl'), '--out', join(dir, 'medqa.jsonl'));
    const mixed = join(dir, 'mix.jsonl');
    const m = run('mix', '--synthetic', syn, '--imported', join(dir, 'medqa.jsonl'), '--share', '0.25', '--seed', '2', '--out', mixed);
    expect(m.status, m.stderr).toBe(0);
    const report = JSON.parse(m.stdout);
    expect(report.n).toBe(readJsonl(mixed).length);
    expect(report.importedShare).toBeGreaterThan(0.15);
    expect(report.importedShare).toBeLessThan(0.35);
    const pq = join(dir, 'train.parquet');
    expect(run('export', '--format', 'verl', mixed, '--out', pq).status).toBe(0);
    const buf = readFileSync(pq);
    const rows = (await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) })) as Record<string, any>[];
    expect(rows).toHaveLength(report.n);
    expect(rows[0]!.reward_model.style).toBe('rule');
    expect(rows[0]!.reward_model.ground_truth).toMatch(/^[A-J]$/);
    const card = join(dir, 'card.md');
    expect(run('export', '--format', 'card', mixed, '--out', card).status).toBe(0);
    expect(readFileSync(card, 'utf8')).toMatch(/## Attribution[\s\S]*Hetionet/);
  });

  it('rejects an unknown format or command with usage', () => {
    const r = run('import', '--format', 'csv', 'x', '--out', 'y');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--format must be one of medqa, medmcqa, pubmedqa, mmlu \(got "csv"\)/);
    expect(run('frobnicate').status).toBe(2);
  });
});
