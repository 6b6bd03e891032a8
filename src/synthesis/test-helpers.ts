/** Test support: the default graph loaded once per test file, as the CLI loads it. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeGraphFile } from '../graph/decode-graph-file';
import { KnowledgeGraph } from '../graph/knowledge-graph';
import { packGraph } from '../graph/packed-graph';
import { expect } from 'vitest';
import { Synthesizer } from './engine';
import { Known, type Candidate } from './judges';

let cached: Promise<KnowledgeGraph> | null = null;

export function defaultGraph(): Promise<KnowledgeGraph> {
  const file = resolve(import.meta.dirname, '../../public/kg/default-graph.json.gz');
  cached ??= decodeGraphFile(new Uint8Array(readFileSync(file)), file).then((f) => new KnowledgeGraph(packGraph(f, 'test', file)));
  return cached;
}

/**
 * Lookups and the "rejected by rule R" assertion shared by the defect tests: each test names
 * real default-graph entities and asserts which judge rule now rejects them. `ctx` is read
 * when a helper runs, so the graph and synthesizer can be loaded in beforeAll.
 */
export function judgeHelpers(ctx: () => { kg: KnowledgeGraph; s: Synthesizer }) {
  const node = (id: string) => {
    const i = ctx().kg.findById(id);
    if (i < 0) throw new Error(`${id} is not in the default graph`);
    return i;
  };
  const byName = (name: string, type: string) => {
    const hit = ctx().kg.search(name, { limit: 20 }).find((h) => h.name.toLowerCase() === name.toLowerCase() && h.type === type);
    if (!hit) throw new Error(`no ${type} named "${name}"`);
    return hit.index;
  };
  const known = (subject: number) => {
    const { s } = ctx();
    return new Known(s.g, s.h, subject, s.h.diseaseFamily(subject));
  };
  const cand = (x: number): Candidate => ({ node: x, closeness: 0.5 });
  const rejectedFor = (rules: string | string[], f: () => unknown) => {
    const { s } = ctx();
    const list = typeof rules === 'string' ? [rules] : rules;
    const count = () => list.reduce((a, r) => a + (s.judges.rejected[r] ?? 0), 0);
    const before = count();
    expect(f()).toBeNull();
    expect(count(), `rejected for ${list.join(' or ')}`).toBe(before + 1);
  };
  return { node, byName, known, cand, rejectedFor };
}

/** The default graph and a synthesizer on it that draws nothing by itself (n = 0), for judging single items. */
export async function defaultSynthesizer(): Promise<{ kg: KnowledgeGraph; s: Synthesizer }> {
  const kg = await defaultGraph();
  return { kg, s: new Synthesizer(kg, 'default', { n: 0, seed: 1, alpha: 1 }) };
}
