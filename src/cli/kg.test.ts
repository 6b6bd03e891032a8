import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallGraphFile } from '../graph/test-graph.fixture';

const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
const run = (...args: string[]) => spawnSync(tsx, ['src/cli/kg.ts', ...args], { encoding: 'utf8' });

describe('kg stats (CLI)', () => {
  it('reports the default graph: real size, types, and no dangling edges', () => {
    const out = JSON.parse(execFileSync(tsx, ['src/cli/kg.ts', 'stats'], { encoding: 'utf8' }));
    expect(Object.keys(out)).toEqual(['nodes', 'edges', 'nodeTypes', 'edgeTypes', 'danglingEdges']);
    expect(out.nodes).toBeGreaterThanOrEqual(25_000);
    expect(out.edges).toBeGreaterThanOrEqual(100_000);
    expect(Object.keys(out.nodeTypes).length).toBeGreaterThanOrEqual(7);
    expect(Object.keys(out.edgeTypes).length).toBeGreaterThanOrEqual(10);
    expect(out.danglingEdges).toBe(0);
    for (const t of ['disease', 'symptom', 'drug', 'pharmacologic_class', 'anatomy', 'gene', 'specialty']) expect(out.nodeTypes[t]).toBeGreaterThan(0);
    for (const t of ['is_a', 'presents', 'localizes', 'treats', 'palliates', 'not_indicated_for', 'in_class', 'targets', 'associates', 'resembles', 'in_specialty']) {
      expect(out.edgeTypes[t], t).toBeGreaterThan(0);
    }
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(out.nodeTypes)).toBe(out.nodes);
    expect(sum(out.edgeTypes)).toBe(out.edges);
  });

  it('counts dangling edges of a given file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-'));
    const g = smallGraphFile();
    g.edges[0]!.dst[0] = 1000;
    const file = join(dir, 'g.json');
    writeFileSync(file, JSON.stringify(g));
    const r = run('stats', file);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ nodes: 7, edges: 8, danglingEdges: 1, nodeTypes: { disease: 3, symptom: 2, drug: 2 } });
  });

  it('fails with the file and cause on a missing or invalid file', () => {
    const missing = run('stats', '/nonexistent/g.json');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/\/nonexistent\/g\.json: cannot read \(ENOENT\)/);
    const dir = mkdtempSync(join(tmpdir(), 'kg-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"format":"other"}');
    const bad = run('stats', file);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bad\.json: format: expected "fleming-kg"/);
  });

  it('rejects an unknown command with usage', () => {
    const r = run('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: npm run kg -- stats/);
  });
});

const FIXTURES = join(process.cwd(), 'src/graph/import/fixtures');

describe('kg import (CLI)', () => {
  it('imports a Hetionet .bz2, prints the stats JSON, and --out writes a graph file kg stats reads back', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kg-')), 'hetionet.json.gz');
    const r = run('import', '--format', 'hetionet', join(FIXTURES, 'mini-hetionet.json.bz2'), '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const stats = JSON.parse(r.stdout);
    expect(Object.keys(stats)).toEqual(['nodes', 'edges', 'nodeTypes', 'edgeTypes', 'danglingEdges']);
    expect(stats).toMatchObject({ nodes: 8, edges: 7, danglingEdges: 0, nodeTypes: { drug: 2, disease: 1 }, edgeTypes: { treats: 2, in_class: 1 } });
    const again = run('stats', out);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(stats);
  });

  it('imports PrimeKG and headerless triples', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-'));
    const kg = join(dir, 'kg.csv');
    writeFileSync(kg, 'relation,display_relation,x_index,x_id,x_type,x_name,x_source,y_index,y_id,y_type,y_name,y_source\nindication,indication,1,DB1,drug,A,DrugBank,2,7,disease,"B, c",MONDO\n');
    expect(JSON.parse(run('import', '--format', 'primekg', kg).stdout)).toMatchObject({ nodes: 2, edges: 1, edgeTypes: { treats: 1 } });
    const tsv = join(dir, 't.tsv');
    writeFileSync(tsv, 'a\tr\tb\nb\tr\tc\n');
    expect(JSON.parse(run('import', '--format', 'triples', tsv).stdout)).toMatchObject({ nodes: 3, edges: 2, nodeTypes: { unknown: 3 } });
  });

  it('exits non-zero with file, line and cause on bad input, and writes no --out file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'relation,x_id\nindication,1\n');
    const out = join(dir, 'never.json');
    const r = run('import', '--format', 'primekg', bad, '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv: line 1 \(header\): missing PrimeKG columns display_relation, x_index/);
    expect(existsSync(out)).toBe(false);
    expect(run('import', '--format', 'nope', bad).status).toBe(2);
    expect(run('import', '--format', 'triples', join(dir, 'missing.tsv')).stderr).toMatch(/missing\.tsv: cannot read \(ENOENT\)/);
  });
});

describe('kg synth (CLI)', () => {
  it('writes a triples TSV shaped like the default graph that imports back', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kg-')), 'syn.tsv.gz');
    const r = run('synth', '--nodes', '2000', '--edges', '10000', '--out', out, '--seed', '7');
    expect(r.status, r.stderr).toBe(0);
    const stats = JSON.parse(run('import', '--format', 'triples', out).stdout);
    // endpoints drawn at random repeat (more so in a graph this small, where some types
    // have a handful of nodes): the importer merges them; isolated nodes never appear
    expect(stats.edges).toBeGreaterThan(6000);
    expect(stats.edges).toBeLessThanOrEqual(10000);
    expect(stats.nodes).toBeGreaterThan(1500);
    expect(Object.keys(stats.nodeTypes)).toEqual(expect.arrayContaining(['disease', 'drug', 'gene', 'symptom']));
    expect(stats.edgeTypes.treats).toBeGreaterThan(0);
  });

  it('writes the same graph as Hetionet JSON when the file ends in .json', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kg-')), 'syn.json');
    expect(run('synth', '--nodes', '500', '--edges', '2000', '--out', out).status).toBe(0);
    const stats = JSON.parse(run('import', '--format', 'hetionet', out).stdout);
    expect(stats.nodes).toBe(500);
    expect(stats.edges).toBeGreaterThan(1000);
    expect(stats.edgeTypes.presents).toBeGreaterThan(0);
  });
});
