/**
 * Human Disease Ontology (current DOreports): disease nodes, xrefs, is_a, symptoms,
 * anatomy and pathogens; plus DO 2015 names/synonyms (CC BY 3.0) for matching and search.
 */
import { datasetBit } from '../../../src/graph/attribution';
import { normName } from '../normalize';
import { bump, srcPath, type BuildContext } from '../context';
import { readTsv } from '../tsv';
import { doFacetRows, ensureAnatomy, ensurePathogen } from './common';
import { mostSpecificFacetPairs } from '../merge/facets';

/** DO xref prefixes -> the CURIE prefixes used in the graph. */
export function normaliseDoXref(x: string): string | undefined {
  const i = x.indexOf(':');
  if (i <= 0) return undefined;
  const prefix = x.slice(0, i);
  const local = x.slice(i + 1).trim();
  if (!local) return undefined;
  if (prefix === 'UMLS_CUI') return `UMLS:${local}`;
  if (prefix === 'MIM') return `OMIM:${local}`;
  if (prefix.startsWith('SNOMEDCT_US')) return `SNOMEDCT:${local}`;
  return `${prefix}:${local}`;
}

/** Parse "'rel' some 'Filler'|'rel' some Filler" into [relation, filler] pairs (nested ones too). */
export function parseSomeClauses(expr: string): [string, string][] {
  const out: [string, string][] = [];
  const re = /'([^']+)'\s+some\s+(?:'([^']+)'|([A-Za-z0-9_-]+))/g;
  for (let m = re.exec(expr); m; m = re.exec(expr)) {
    const rel = m[1];
    const filler = m[2] ?? m[3];
    if (rel && filler) out.push([rel, filler]);
  }
  return out;
}

/**
 * Every quoted or bare filler of the top-level clauses of relation `rel`, including unions:
 * "'transmitted by' some ('Sigmodon alstoni' or 'Zygodontomys brevicauda')" → both names.
 */
export function clauseFillers(expr: string, rel: string): string[] {
  const out: string[] = [];
  for (const clause of expr.split('|')) {
    const m = new RegExp(`^\\s*'${rel}'\\s+some\\s+(.*)$`).exec(clause);
    if (!m) continue;
    const body = m[1]!;
    const quoted = [...body.matchAll(/'([^']+)'/g)].map((x) => x[1]!);
    if (quoted.length) out.push(...quoted);
    else {
      const bare = /^\(?\s*([A-Za-z0-9_-]+)/.exec(body);
      if (bare?.[1]) out.push(bare[1]);
    }
  }
  return out;
}

/** Is `taxonName` one of the named vectors/hosts, or the genus of one ("Zygodontomys" for "Zygodontomys brevicauda")? */
export function isVectorName(taxonName: string, vectorNames: ReadonlySet<string>): boolean {
  const n = normName(taxonName);
  if (vectorNames.has(n)) return true;
  for (const v of vectorNames) if (v.startsWith(`${n} `)) return true;
  return false;
}

type FacetPairs = { anatomy: [string, string][]; symptom: [string, string][]; ncbitaxon: [string, string][] };

function loadFacetLookups(ctx: BuildContext): FacetPairs {
  const pairs: FacetPairs = { anatomy: [], symptom: [], ncbitaxon: [] };
  for (const r of doFacetRows(ctx)) {
    const f = r.facet ?? '';
    if ((f === 'anatomy' || f === 'symptom' || f === 'ncbitaxon') && r.id && r.import_id) pairs[f].push([r.id, r.import_id]);
    const facet = r.facet;
    const label = r.import_keyword ?? '';
    const id = r.import_id ?? '';
    if (!label || !id) continue;
    if (facet === 'ncbitaxon' && id.startsWith('NCBITaxon:')) {
      ctx.lookup.taxonNames.set(id, label);
      const k = normName(label);
      if (!ctx.lookup.taxonByName.has(k)) ctx.lookup.taxonByName.set(k, id);
    } else if (facet === 'anatomy' && id.startsWith('UBERON:')) {
      if (!ctx.lookup.uberonNames.has(id)) ctx.lookup.uberonNames.set(id, label);
      const k = normName(label);
      if (!ctx.lookup.uberonByName.has(k)) ctx.lookup.uberonByName.set(k, id);
    }
  }
  return pairs;
}

export const INFECTIOUS_DISEASE_ROOT = 'DOID:0050117';
/** MeSH 2015 organism trees of animals that carry or harbour infections: arthropods and vertebrates. */
const MESH_ARTHROPODS = 'B01.050.500.131';
const MESH_CHORDATES = 'B01.050.150';
/** vector and reservoir genera that MeSH 2015 does not list (it has Ixodes, Aedes, Dermacentor …) */
const VECTOR_GENERA_NOT_IN_MESH = new Set(['amblyomma', 'haemaphysalis', 'hyalomma', 'glossina', 'lutzomyia', 'zygodontomys', 'sigmodon', 'calomys', 'mastomys', 'rattus', 'mus', 'peromyscus']);

/**
 * Is a taxon an arthropod or a vertebrate (a vector, host or reservoir rather than an
 * infectious agent)? Read from the MeSH organism tree by the taxon's name or its genus, with
 * a few vector genera MeSH 2015 lacks. Worms, protists, fungi, bacteria and viruses are not.
 */
export function animalKind(name: string, meshTreesByName: (n: string) => readonly string[]): 'arthropod' | 'vertebrate' | null {
  const clean = name.replace(/[[\]]/g, '').replace(/<[^>]*>/g, '').trim();
  const genus = clean.split(/\s+/)[0] ?? '';
  for (const n of [clean, genus]) {
    const trees = meshTreesByName(n);
    if (trees.some((t) => t.startsWith(MESH_ARTHROPODS))) return 'arthropod';
    if (trees.some((t) => t.startsWith(MESH_CHORDATES))) return 'vertebrate';
  }
  if (VECTOR_GENERA_NOT_IN_MESH.has(genus.toLowerCase())) return /^(zygodontomys|sigmodon|calomys|mastomys|rattus|mus|peromyscus)$/i.test(genus) ? 'vertebrate' : 'arthropod';
  return null;
}

/** All diseases below `root` along is_a edges (root included). */
function descendants(ctx: BuildContext, root: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const key of ctx.edges.edges.get('is_a')?.keys() ?? []) {
    const [child, parent] = key.split('\u0000') as [string, string];
    const list = children.get(parent);
    if (list) list.push(child);
    else children.set(parent, [child]);
  }
  const out = new Set<string>([root]);
  const stack = [root];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      if (!out.has(c)) {
        out.add(c);
        stack.push(c);
      }
    }
  }
  return out;
}

/**
 * Most specific inferred facet terms per disease -> localizes / presents / caused_by, tagged
 * with the facets dataset (inferred; synthesis weighs them as weak unless DO's own axioms or
 * another dataset assert the same edge).
 */
function addFacetEdges(ctx: BuildContext, pairs: FacetPairs, explicitCause: ReadonlySet<string>, vectorNames: ReadonlySet<string>): void {
  const bit = datasetBit('disease_ontology_facets');
  const known = (d: string): boolean => ctx.reg.get(d)?.type === 'disease';
  for (const [d, u] of mostSpecificFacetPairs(pairs.anatomy.filter(([d]) => known(d)))) {
    if (ctx.edges.add('localizes', d, ensureAnatomy(ctx, u, bit), bit)) bump(ctx, 'do_facet_localizes');
  }
  for (const [d, s] of mostSpecificFacetPairs(pairs.symptom.filter(([d]) => known(d)))) {
    if (ctx.edges.add('presents', d, s, bit)) bump(ctx, 'do_facet_presents');
  }
  // organisms only count as causes for diseases under "disease by infectious agent" (the taxon
  // facet also carries allergy triggers such as shrimp), and only where DO names no cause itself:
  // the facet mixes the agent's lineage with the vector's and the host's (a rodent, a tick)
  const infectious = descendants(ctx, INFECTIOUS_DISEASE_ROOT);
  for (const [d, t] of mostSpecificFacetPairs(pairs.ncbitaxon.filter(([d]) => infectious.has(d) && !explicitCause.has(d)))) {
    if (isVectorName(ctx.lookup.taxonNames.get(t) ?? '', vectorNames) || !causeAllowed(ctx, d, t)) {
      bump(ctx, 'do_facet_taxon_is_vector_or_host');
      continue;
    }
    if (ctx.edges.add('caused_by', d, ensurePathogen(ctx, t, bit), bit)) bump(ctx, 'do_facet_caused_by');
  }
}

/** An arthropod causes a disease only as an ectoparasite (scabies, myiasis), a vertebrate never. */
export function causeAllowed(ctx: BuildContext, disease: string, taxon: string): boolean {
  const kind = animalKind(ctx.lookup.taxonNames.get(taxon) ?? '', (n) => ctx.lookup.meshTrees.get(ctx.lookup.meshByName.get(normName(n)) ?? '') ?? []);
  if (!kind) return true;
  return kind === 'arthropod' && ctx.lookup.ectoparasitic.has(disease);
}

export function loadDiseaseOntology(ctx: BuildContext): void {
  const bit = datasetBit('disease_ontology');
  const bit2015 = datasetBit('disease_ontology_2015');
  const facets = loadFacetLookups(ctx);

  // nodes + parent names
  const rows = readTsv(srcPath(ctx, 'disease-ontology', 'HumanDO.tsv'));
  const byLabel = new Map<string, string | null>();
  for (const r of rows) {
    const id = r.id ?? '';
    if (!id.startsWith('DOID:')) continue;
    ctx.reg.upsert('disease', id, r.label ?? '', bit);
    const k = normName(r.label ?? '');
    const cur = byLabel.get(k);
    byLabel.set(k, cur === undefined || cur === id ? id : null);
  }
  for (const r of rows) {
    const parent = byLabel.get(normName(r.subClassOf ?? ''));
    if (r.subClassOf && parent) ctx.edges.add('is_a', r.id, parent, bit);
    else if (r.subClassOf) bump(ctx, 'do_is_a_parent_unresolved');
  }
  const ecto = byLabel.get(normName('parasitic ectoparasitic infectious disease'));
  if (ecto) for (const d of descendants(ctx, ecto)) ctx.lookup.ectoparasitic.add(d);

  for (const r of readTsv(srcPath(ctx, 'disease-ontology', 'allXREFinDO.tsv'))) {
    const e = ctx.reg.get(r.id ?? '');
    const x = normaliseDoXref(r.xref ?? '');
    if (e && x) ctx.reg.addXref(e, x);
  }

  // DO 2015: names for old DOIDs, exact synonyms for search and name matching
  for (const r of readTsv(srcPath(ctx, 'disease-ontology-2015', 'term-names.tsv'))) {
    const id = r.doid ?? '';
    const name = r.name ?? '';
    if (!id || !name) continue;
    if (r.type === 'name') ctx.lookup.do2015Names.set(id, name);
    const e = ctx.reg.get(id);
    if (e && e.type === 'disease' && (r.type === 'exact-synonym' || r.type === 'name')) {
      const before = e.synonyms.size;
      ctx.reg.addSynonym(e, name);
      if (e.synonyms.size > before) e.datasets |= bit2015;
    }
  }

  for (const r of readTsv(srcPath(ctx, 'disease-ontology', 'disease-symptom.tsv'))) {
    if (!ctx.edges.add('presents', r.disease_id, r.symptom_id, bit)) bump(ctx, 'do_symptom_rows_unresolved');
  }

  for (const r of readTsv(srcPath(ctx, 'disease-ontology', 'DO-ICDO-anatomy.tsv'))) {
    if (!r.anatomy_id) continue;
    const a = ensureAnatomy(ctx, r.anatomy_id, bit, r.anatomy_label ?? '');
    ctx.edges.add('localizes', r.id, a, bit);
  }

  const explicitCause = new Set<string>();
  const vectorNames = new Set<string>();
  // DO's own axioms: anonymous superclasses, and logical definitions ("endometriosis and
  // 'disease has location' some myometrium"), both asserted by DO's curators
  const axioms = [
    ...readTsv(srcPath(ctx, 'disease-ontology', 'DO-subClassOf-anonymous.tsv')).map((r) => ({ doid: r.ID ?? '', expr: r['SubClass Of [ANON]'] ?? '' })),
    ...readTsv(srcPath(ctx, 'disease-ontology', 'DO-equivalentClass.tsv')).map((r) => ({ doid: r.ID ?? '', expr: r['Equivalent Class'] ?? '' })),
  ];
  for (const { doid, expr } of axioms) {
    if (!ctx.reg.get(doid)) continue;
    for (const v of clauseFillers(expr, 'transmitted by')) {
      vectorNames.add(normName(v));
      const t = ctx.lookup.taxonByName.get(normName(v));
      if (t) ctx.lookup.vectorTaxa.add(t);
    }
    for (const [rel, filler] of parseSomeClauses(expr)) {
      if (rel === 'has symptom') {
        const s = ctx.reg.byName('symptom', filler);
        if (!ctx.edges.add('presents', doid, s, bit)) bump(ctx, 'do_has_symptom_unresolved');
      } else if (rel === 'disease has location') {
        const u = ctx.lookup.uberonByName.get(normName(filler));
        const a = u ? ensureAnatomy(ctx, u, bit) : undefined;
        if (!ctx.edges.add('localizes', doid, a, bit)) bump(ctx, 'do_location_unresolved');
      }
    }
    // causes, unions included: "'has material basis in' some ('Orthohantavirus andesense' or …)"
    for (const filler of clauseFillers(expr, 'has material basis in')) {
      const t = ctx.lookup.taxonByName.get(normName(filler));
      if (!t) bump(ctx, 'do_material_basis_not_organism');
      else if (!causeAllowed(ctx, doid, t)) bump(ctx, 'do_material_basis_animal_not_agent');
      else if (ctx.edges.add('caused_by', doid, ensurePathogen(ctx, t, bit), bit)) explicitCause.add(doid);
    }
  }
  addFacetEdges(ctx, facets, explicitCause, vectorNames);
}
