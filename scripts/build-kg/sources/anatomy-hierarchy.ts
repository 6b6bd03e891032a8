/**
 * The anatomy hierarchy, so that synthesis can tell that "uterus" and "myometrium" overlap
 * (one contains the other) and never offers both as competing answers:
 * - anatomy_is_a from the Uberon subclass axioms in DO's Uberon import (uberon_import.owl);
 * - anatomy_part_of from the MeSH 2015 anatomy tree (A01–A10, A14, A15, A17): a narrower
 *   heading lies within the broader one ("Endometrium" under "Uterus").
 * Both link graph nodes only: a chain through terms that are not nodes is shortened to the
 * nearest ancestors that are.
 */
import { datasetBit } from '../../../src/graph/attribution';
import { normName } from '../normalize';
import { bump, srcPath, type BuildContext } from '../context';
import { readText } from '../tsv';

/** UBERON child -> parents, from the owl:Class blocks' rdfs:subClassOf rdf:resource (restrictions are not in this import). */
export function parseUberonSubclasses(owl: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const blocks = owl.split('<owl:Class rdf:about="http://purl.obolibrary.org/obo/UBERON_');
  for (let i = 1; i < blocks.length; i++) {
    const b = blocks[i]!;
    const id = /^(\d+)"/.exec(b)?.[1];
    if (!id) continue;
    const end = b.indexOf('</owl:Class>');
    const body = end >= 0 ? b.slice(0, end) : b;
    const parents = [...body.matchAll(/<rdfs:subClassOf rdf:resource="http:\/\/purl\.obolibrary\.org\/obo\/UBERON_(\d+)"\/>/g)].map((m) => `UBERON:${m[1]}`);
    if (parents.length) out.set(`UBERON:${id}`, parents);
  }
  return out;
}

/** For each node in `nodes`, its nearest ancestors (along `parents`) that are themselves in `nodes`. */
export function nearestAncestorsIn(nodes: ReadonlySet<string>, parents: (id: string) => readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of [...nodes].sort()) {
    const found = new Set<string>();
    const seen = new Set<string>([n]);
    const stack = [...parents(n)];
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      if (nodes.has(p)) found.add(p);
      else stack.push(...parents(p));
    }
    if (found.size) out.set(n, [...found].sort());
  }
  return out;
}

/** MeSH anatomy tree branches that name body structures (cells, fluids, embryonic, plant and fungal structures are left out). */
const ANATOMY_BRANCHES = /^A(0[1-9]|10|14|15|17)(\.|$)/;

/** the parent tree number ("A05.360.319.679" -> "A05.360.319"), or undefined at a category root */
const parentTree = (t: string): string | undefined => (t.lastIndexOf('.') > 0 ? t.slice(0, t.lastIndexOf('.')) : undefined);

/**
 * Anatomy node -> nearest broader anatomy node along the MeSH tree. `meshOf` gives a node's
 * MeSH descriptor (by xref, else by an unambiguous name), `trees` the descriptor's tree numbers.
 */
export function meshContainment(anatomy: readonly string[], meshOf: (id: string) => string | undefined, trees: (mesh: string) => readonly string[]): [string, string][] {
  const byTree = new Map<string, string>();
  const treesOf = new Map<string, string[]>();
  for (const a of [...anatomy].sort()) {
    const mesh = meshOf(a);
    if (!mesh) continue;
    const ts = trees(mesh).filter((t) => ANATOMY_BRANCHES.test(t));
    if (!ts.length) continue;
    treesOf.set(a, ts);
    for (const t of ts) if (!byTree.has(t)) byTree.set(t, a);
  }
  const out = new Set<string>();
  for (const [a, ts] of treesOf) {
    for (const t of ts) {
      for (let p = parentTree(t); p; p = parentTree(p)) {
        const b = byTree.get(p);
        if (b && b !== a) {
          out.add(`${a}\u0000${b}`);
          break;
        }
      }
    }
  }
  return [...out].sort().map((k) => k.split('\u0000') as [string, string]);
}

/** Uberon labels that read as ontology jargon in a question ("manual digit 1", "female gonad", "mammalian vulva"). */
const UBERON_JARGON = /\d|\b(mammalian|manual|pedal|cardial|gonad|zone of|subdivision of)\b|^(appendage|pes|manus|autopod|zeugopod|stylopod)$/;

/** The name to show for an anatomy node: the MeSH heading where the Uberon label is jargon and the heading reads plainly. */
export function preferredAnatomyName(uberonName: string, meshName: string | undefined): string {
  if (!meshName || !UBERON_JARGON.test(uberonName)) return uberonName;
  if (meshName.includes(',') || / and /i.test(meshName)) return uberonName;
  return meshName;
}

export function loadAnatomyHierarchy(ctx: BuildContext): void {
  const bit = datasetBit('uberon');
  const anatomy = ctx.reg.ofType('anatomy').map((e) => e.id);
  const nodes = new Set(anatomy);
  const sub = parseUberonSubclasses(readText(srcPath(ctx, 'disease-ontology', 'uberon_import.owl')));
  for (const [a, parents] of nearestAncestorsIn(nodes, (id) => sub.get(id) ?? [])) {
    for (const p of parents) if (ctx.edges.add('anatomy_is_a', a, p, bit)) bump(ctx, 'anatomy_is_a_uberon');
  }
  const meshBit = datasetBit('mesh_2015');
  const meshOf = (id: string): string | undefined => {
    const e = ctx.reg.get(id)!;
    const x = [...e.xrefs].find((v) => v.startsWith('MESH:'));
    return x ?? ctx.lookup.meshByName.get(normName(e.name));
  };
  for (const [a, b] of meshContainment(anatomy, meshOf, (m) => ctx.lookup.meshTrees.get(m) ?? [])) {
    if (ctx.edges.add('anatomy_part_of', a, b, meshBit)) bump(ctx, 'anatomy_part_of_mesh_tree');
  }
}
