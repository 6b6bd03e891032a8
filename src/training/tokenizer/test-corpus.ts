/**
 * Test and measurement support (Node only): real text for tokenizer tests — the MedQA sample
 * questions the importers ship as fixtures and entity names from the default knowledge graph
 * (names with spaces, capitals, hyphens, commas, digits, accents, en dashes, NBSP).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Rng } from '../../synthesis/rng';

const root = resolve(import.meta.dirname, '../../..');

/** Every entity name in public/kg/default-graph.json.gz, in file order. */
export function kgEntityNames(): string[] {
  const g = JSON.parse(gunzipSync(readFileSync(resolve(root, 'public/kg/default-graph.json.gz'))).toString('utf8')) as { nodes: { name: string[] } };
  return g.nodes.name;
}

/** Question stems and options of the MedQA sample fixture. */
export function medqaTexts(): string[] {
  const lines = readFileSync(resolve(root, 'src/synthesis/import/fixtures/medqa-us-4opt-sample.jsonl'), 'utf8').split('\n').filter(Boolean);
  const out: string[] = [];
  for (const l of lines) {
    const r = JSON.parse(l) as { question: string; options: Record<string, string> };
    out.push(r.question, ...Object.values(r.options));
  }
  return out;
}

/** Seeded uniform [0, 1) draws (the project's Rng), so corpora are the same on every run. */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/**
 * Question + trajectory-like texts: a chain-of-thought over entity names, the answer markers,
 * and MedQA sentences, `n` of them.
 */
export function syntheticCorpus(n: number, entities: readonly string[], relations: readonly string[], seed = 1): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const medqa = medqaTexts();
  const words = medqa.join(' ').split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const e1 = pick(entities);
    const e2 = pick(entities);
    const rel = pick(relations);
    const filler = Array.from({ length: 8 + Math.floor(r() * 20) }, () => pick(words)).join(' ');
    const letter = 'ABCD'[Math.floor(r() * 4)]!;
    out.push(
      `Question: Which entity does ${e1} ${rel}?\nA. ${pick(entities)}\nB. ${e2}\nC. ${pick(entities)}\nD. ${pick(entities)}\n` +
        `<think>${e1} ${rel} ${e2}. ${filler}. Step ${i % 7}: ${100 + (i % 900)} mg/dL, ${(i % 37) / 10}%.</think>\n<answer>${letter}</answer>`,
    );
  }
  return out;
}
