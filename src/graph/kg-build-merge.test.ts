/**
 * Whole-graph properties of the committed public/kg/default-graph.json.gz, and (when the
 * source files in ../shared/kg are present) licence filtering and a byte-identical rebuild.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DATASETS } from './attribution';
import type { GraphFileV1 } from './format';
import { buildGraph } from '../../scripts/build-kg/build';
import { serializeGraph } from '../../scripts/build-kg/write';
import { summarize } from '../../scripts/build-kg/summary';

const root = fileURLToPath(new URL('../..', import.meta.url));
const graphPath = join(root, 'public/kg/default-graph.json.gz');
const srcDir = join(root, '..', 'shared', 'kg');
const haveSrc = existsSync(join(srcDir, 'MANIFEST.txt'));
if (!haveSrc) console.warn(`[kg-build-merge] ${srcDir} not found: skipping tests that read the source files`);

const bytes = readFileSync(graphPath);
const g = JSON.parse(gunzipSync(bytes).toString('utf8')) as GraphFileV1;
const idx = new Map(g.nodes.id.map((id, i) => [id, i]));
const bit = (id: string): number => 1 << DATASETS.findIndex((d) => d.id === id);
const group = (name: string) => {
  const t = g.edgeTypes.findIndex((e) => e.name === name);
  const eg = g.edges.find((e) => e.type === t);
  if (!eg) throw new Error(`no ${name} edges`);
  return eg;
};
/** Edges of a type touching a node, with their dataset masks. */
const edgesOf = (name: string, node: string, side: 'src' | 'dst'): { other: string; datasets: number }[] => {
  const eg = group(name);
  const i = idx.get(node)!;
  const here = side === 'src' ? eg.src : eg.dst;
  const there = side === 'src' ? eg.dst : eg.src;
  const out: { other: string; datasets: number }[] = [];
  here.forEach((x, k) => x === i && out.push({ other: g.nodes.id[there[k]!]!, datasets: eg.datasets[k]! }));
  return out;
};
const hasEdge = (name: string, a: string, b: string): boolean => {
  const ia = idx.get(a);
  const ib = idx.get(b);
  if (ia === undefined || ib === undefined) return false;
  const eg = group(name);
  return eg.src.some((s, k) => s === ia && eg.dst[k] === ib);
};

describe('default graph file', () => {
  const s = summarize(g);

  it('is small, sized and typed as required', () => {
    expect(bytes.length).toBeLessThan(5 * 1024 * 1024);
    expect(s.nodes).toBeGreaterThanOrEqual(25_000);
    expect(s.edges).toBeGreaterThanOrEqual(100_000);
    expect(Object.keys(s.nodeTypes).length).toBeGreaterThanOrEqual(7);
    expect(Object.keys(s.edgeTypes).length).toBeGreaterThanOrEqual(10);
    for (const t of ['disease', 'symptom', 'drug', 'pharmacologic_class', 'anatomy', 'gene', 'specialty', 'pathogen']) expect(s.nodeTypes[t]).toBeGreaterThan(0);
    for (const t of ['is_a', 'presents', 'localizes', 'treats', 'palliates', 'not_indicated_for', 'in_class', 'targets', 'associates', 'resembles', 'in_specialty', 'caused_by']) {
      expect(s.edgeTypes[t]).toBeGreaterThan(0);
    }
  });

  it('has no dangling, duplicate, self-loop or mistyped edges, and unique node ids', () => {
    expect(s.danglingEdges).toBe(0);
    expect(s.duplicateEdges).toBe(0);
    expect(s.selfLoops).toBe(0);
    expect(s.typeMismatches).toBe(0);
    expect(idx.size).toBe(g.nodes.id.length);
    expect(new Set(g.edgeTypes.map((e) => e.name)).size).toBe(g.edgeTypes.length);
  });

  it('carries the dataset metadata of src/graph/attribution.ts, and every bit is a known dataset', () => {
    expect(g.datasets).toEqual(DATASETS);
    const all = (1 << DATASETS.length) - 1;
    expect(g.nodes.datasets.filter((m) => m === 0 || (m & ~all) !== 0).length).toBe(0);
    for (const eg of g.edges) expect(eg.datasets.filter((m) => m === 0 || (m & ~all) !== 0).length).toBe(0);
  });

  it('merges asthma symptoms and treatments from several sources on DOID:2841', () => {
    const presents = edgesOf('presents', 'DOID:2841', 'src');
    expect(presents.some((e) => e.datasets & bit('disease_ontology'))).toBe(true);
    expect(presents.some((e) => e.datasets & bit('hetionet'))).toBe(true);
    // cough is asserted by both DO and Hetionet on the same edge
    const cough = presents.find((e) => e.other === 'SYMP:0000614');
    expect(cough && cough.datasets & bit('disease_ontology') && cough.datasets & bit('hetionet')).toBeTruthy();
    const treats = edgesOf('treats', 'DOID:2841', 'dst');
    let union = 0;
    for (const e of treats) union |= e.datasets;
    const sources = DATASETS.filter((d) => union & bit(d.id)).map((d) => d.id);
    expect(sources.length).toBeGreaterThanOrEqual(3);
    expect(treats.some((e) => [...DATASETS.keys()].filter((i) => e.datasets & (1 << i)).length >= 2)).toBe(true);
  });

  it('joins a DrugBank-keyed drug (Hetionet, PharmacotherapyDB) to its DrugCentral node', () => {
    const i = idx.get('DrugCentral:419')!; // budesonide
    expect(g.nodes.xrefs[i]).toContain('DrugBank:DB01222');
    expect(idx.has('DrugBank:DB01222')).toBe(false);
    const m = g.nodes.datasets[i]!;
    for (const d of ['drugcentral', 'hetionet', 'pharmacotherapydb']) expect(m & bit(d)).toBeTruthy();
  });

  it('contains no side effects and no prose', () => {
    expect(g.nodeTypes).not.toContain('side_effect');
    expect(g.edgeTypes.map((e) => e.name)).not.toContain('causes');
    const longest = Math.max(...g.nodes.name.map((n) => n.length));
    expect(longest).toBeLessThan(300);
  });
});

describe.skipIf(!haveSrc)('against the source files in ../shared/kg', () => {
  it('drops ODbL disease-gene rows', () => {
    const lines = readFileSync(join(srcDir, 'hetionet/DaG-association.tsv'), 'utf8').split(/\r?\n/).slice(1);
    let checked = 0;
    for (const line of lines) {
      const [doid, , gene, , sources, licence] = line.split('\t');
      if (licence !== 'ODbL 1.0' || !doid || !gene) continue;
      checked++;
      expect(hasEdge('associates', doid, `NCBIGene:${gene}`), `${doid} ${gene} (${sources})`).toBe(false);
    }
    expect(checked).toBeGreaterThan(5000);
  });

  it('drops Hetionet CcSE and CbG rows (targets come only from DrugCentral)', () => {
    const sif = gunzipSync(readFileSync(join(srcDir, 'hetionet/edges-5k.sif.gz'))).toString('utf8').split(/\r?\n/);
    expect(sif.some((l) => l.includes('\tCcSE\t'))).toBe(true);
    const dc = bit('drugcentral') | bit('drugcentral_multi_gene');
    expect(group('targets').datasets.every((m) => m !== 0 && (m & ~dc) === 0)).toBe(true);
    // a row naming several genes keeps its own bit (gemcitabine: "POLA1|POLD1|POLE" beside single RRM1 and RRM2 rows)
    expect(group('targets').datasets.some((m) => m === bit('drugcentral_multi_gene'))).toBe(true);
    expect(g.nodes.id.some((id) => id.startsWith('SideEffect') || id.startsWith('UMLS:'))).toBe(false);
  });

  it('lists clinical findings only: no MeSH headings, body measurements or named diseases as symptoms', () => {
    const names = new Set(g.nodes.name.filter((_, i) => g.nodeTypes[g.nodes.type[i]!] === 'symptom'));
    for (const n of ['Body Weight', 'Birth Weight', 'Signs and Symptoms, Digestive', 'Neurologic Manifestations', 'Down Syndrome', 'Huntington Disease']) expect(names.has(n), n).toBe(false);
    expect(names.has('Acute Abdomen')).toBe(true); // MeSH "Abdomen, Acute", un-inverted
  });

  it('has the anatomy hierarchy: Uberon subclasses and the MeSH tree (myometrium lies within the uterus)', () => {
    const part = group('anatomy_part_of');
    const uterus = idx.get('UBERON:0000995')!;
    const inside = part.src.filter((_, k) => part.dst[k] === uterus).map((s) => g.nodes.name[s]);
    expect(inside).toEqual(expect.arrayContaining(['endometrium', 'myometrium']));
    expect(group('anatomy_is_a').src.length).toBeGreaterThan(300);
  });

  it('never names a vector or host as a cause, and tags inferred facet edges with their own dataset', () => {
    const cb = group('caused_by');
    for (const t of new Set(cb.dst)) expect(g.nodes.name[t], 'animal as cause').not.toMatch(/^(Zygodontomys|Sigmodon|Amblyomma|Ixodes|Aedes|Anopheles)\b/);
    const facet = bit('disease_ontology_facets');
    expect(group('localizes').datasets.some((m) => m === facet)).toBe(true);
    expect(group('presents').datasets.some((m) => (m & facet) !== 0 && (m & bit('disease_ontology')) !== 0)).toBe(true);
  });

  it('rebuilds byte-identical output from the sources (deterministic, committed file is current)', () => {
    const { file } = buildGraph(srcDir);
    expect(serializeGraph(file).equals(bytes)).toBe(true);
  });
});
