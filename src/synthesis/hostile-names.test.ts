/**
 * A graph whose names, node types and relations are hostile text — HTML and script,
 * and the names of JavaScript's own object properties ("constructor", "__proto__",
 * "toString"), which a lookup in a plain object finds on its prototype — goes through
 * the whole domain pipeline: import, question synthesis, the KG teacher and the
 * verifier. Nothing may crash, every type stays a string, and the names come out
 * exactly as written (the views then show them as text: e2e/security.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import { importGraph } from '../graph/import/import-graph';
import { KnowledgeGraph } from '../graph/knowledge-graph';
import { KgTeacher } from '../trajectories/kg-teacher';
import { runAll } from '../trajectories/pipeline';
import { Verifier } from '../trajectories/verify';
import { templateSupport } from './engine';
import { synthesize } from './run';

export const PAYLOADS = ['<img src=x onerror=window.__xss=1>', '<script>window.__xss=1</script>', '"><svg onload=window.__xss=1>', 'constructor', '__proto__', 'toString hasOwnProperty valueOf'];

/** diseases presenting symptoms, drugs treating them, a site for each: enough for diagnosis and treatment items */
export function hostileTriples(): string {
  const P = PAYLOADS;
  const rows = ['head\thead_type\trelation\ttail\ttail_type\thead_name\ttail_name'];
  const dn = (i: number) => (i < P.length ? `Disease ${P[i]}` : `disease number ${i}`);
  const sn = (i: number) => (i % 3 === 0 ? `Symptom ${P[i % P.length]}` : `symptom ${i}`);
  const rn = (i: number) => (i % 2 === 0 ? `Drug ${P[(i + 1) % P.length]}` : `drug ${i}`);
  for (let d = 0; d < 12; d++) {
    for (let k = 0; k < 4; k++) {
      const s = (d * 2 + k * 3) % 16;
      rows.push(`D${d}\tdisease\tpresents\tS${s}\tsymptom\t${dn(d)}\t${sn(s)}`);
    }
    for (let k = 0; k < 2; k++) {
      const r = (d + k * 5) % 9;
      rows.push(`C${r}\tdrug\ttreats\tD${d}\tdisease\t${rn(r)}\t${dn(d)}`);
    }
    rows.push(`D${d}\tdisease\tlocalizes\tA${d % 4}\tanatomy\t${dn(d)}\t${d % 4 === 0 ? 'Organ <b>bold</b>' : `organ ${d % 4}`}`);
  }
  // node types and relations named like Object.prototype members
  rows.push('X1\tconstructor\t__proto__\tX2\t__proto__\tconstructor\ttoString');
  rows.push('X2\t__proto__\tconstructor\tX3\ttoString\t__proto__\thasOwnProperty');
  rows.push('D0\tdisease\ttoString\tX1\tconstructor\t\t');
  return rows.join('\n') + '\n';
}

describe('hostile names through the domain pipeline', () => {
  it('import keeps prototype-named types and relations as plain strings, and names exactly', async () => {
    const p = await importGraph({ name: 'hostile.tsv', blob: new Blob([hostileTriples()]) }, 'triples');
    for (const t of p.header.nodeTypes) expect(typeof t).toBe('string');
    expect(p.header.nodeTypes).toEqual(expect.arrayContaining(['constructor', '__proto__', 'toString']));
    for (const e of p.header.edgeTypes) for (const v of [e.name, e.source, e.target, e.label, e.inverseLabel]) expect(typeof v).toBe('string');
    expect(p.header.edgeTypes.map((e) => e.name)).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'toString']));
    const g = new KnowledgeGraph(p);
    expect(g.nodeName(g.findById('D0'))).toBe(`Disease ${PAYLOADS[0]}`);
    expect(g.nodeName(g.findById('X1'))).toBe('constructor');
    expect(g.nodeName(g.findById('X2'))).toBe('toString');
    expect(g.nodeName(g.findById('X3'))).toBe('hasOwnProperty');
    expect(g.search('constructor').length).toBeGreaterThan(0);
  });

  it('synthesis, the KG teacher and the verifier run on it; stems and options carry the names literally', async () => {
    const p = await importGraph({ name: 'hostile.tsv', blob: new Blob([hostileTriples()]) }, 'triples');
    const g = new KnowledgeGraph(p);
    const support = templateSupport(g);
    const types = support.filter((s) => s.ok).map((s) => s.type);
    expect(types).toEqual(expect.arrayContaining(['diagnosis', 'treatment']));
    const { records } = synthesize(g, 'hostile', { n: 12, seed: 1, alpha: 1, optionCount: 4, dropProbability: 0.3, types });
    expect(records.length).toBeGreaterThan(0);
    const texts = records.flatMap((r) => [r.question, ...Object.values(r.options)]);
    for (const t of texts) expect(typeof t).toBe('string');
    // entities named like Object.prototype members are asked about, names intact
    expect(texts.some((t) => /Disease __proto__|Drug constructor|toString hasOwnProperty valueOf/.test(t))).toBe(true);
    // markup in a name is either carried whole or the item is dropped as malformed text: never cut or altered
    for (const t of texts.filter((t) => t.includes('<'))) expect(PAYLOADS.slice(0, 3).some((x) => t.includes(x)), t).toBe(true);

    const { results } = await runAll(records, new KgTeacher(g), new Verifier(g), { k: 1, rounds: 0, seed: 1 }, { concurrency: 2 });
    expect(results).toHaveLength(records.length);
    for (const r of results) for (const t of r.trajectories) expect(typeof t.text).toBe('string');
  });
});
