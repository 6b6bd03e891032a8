import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
