/**
 * Human Disease Ontology (current DOreports): disease nodes, xrefs, is_a, symptoms,
 * anatomy and pathogens; plus DO 2015 names/synonyms (CC BY 3.0) for matching and search.
 */
import { datasetBit } from '../../../src/graph/attribution';
import { normName } from '../normalize';
import { bump, srcPath, type BuildContext } from '../context';
import { readTsv } from '../tsv';
import { ensureAnatomy, ensurePathogen } from './common';
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

type FacetPairs = { anatomy: [string, string][]; symptom: [string, string][]; ncbitaxon: [string, string][] };

function loadFacetLookups(ctx: BuildContext): FacetPairs {
  const pairs: FacetPairs = { anatomy: [], symptom: [], ncbitaxon: [] };
  for (const r of readTsv(srcPath(ctx, 'disease-ontology', 'facets.tsv.gz'))) {
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

/** Most specific inferred facet terms per disease -> localizes / presents / caused_by. */
function addFacetEdges(ctx: BuildContext, pairs: FacetPairs, bit: number): void {
  const known = (d: string): boolean => ctx.reg.get(d)?.type === 'disease';
  for (const [d, u] of mostSpecificFacetPairs(pairs.anatomy.filter(([d]) => known(d)))) {
    if (ctx.edges.add('localizes', d, ensureAnatomy(ctx, u, bit), bit)) bump(ctx, 'do_facet_localizes');
  }
  for (const [d, s] of mostSpecificFacetPairs(pairs.symptom.filter(([d]) => known(d)))) {
    if (ctx.edges.add('presents', d, s, bit)) bump(ctx, 'do_facet_presents');
  }
  // organisms only count as causes for diseases under "disease by infectious agent"
  // (the taxon facet also carries allergy triggers such as shrimp)
  const infectious = descendants(ctx, INFECTIOUS_DISEASE_ROOT);
  for (const [d, t] of mostSpecificFacetPairs(pairs.ncbitaxon.filter(([d]) => infectious.has(d)))) {
    if (ctx.edges.add('caused_by', d, ensurePathogen(ctx, t, bit), bit)) bump(ctx, 'do_facet_caused_by');
  }
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

  for (const r of readTsv(srcPath(ctx, 'disease-ontology', 'DO-subClassOf-anonymous.tsv'))) {
    const doid = r.ID ?? '';
    if (!ctx.reg.get(doid)) continue;
    for (const [rel, filler] of parseSomeClauses(r['SubClass Of [ANON]'] ?? '')) {
      if (rel === 'has symptom') {
        const s = ctx.reg.byName('symptom', filler);
        if (!ctx.edges.add('presents', doid, s, bit)) bump(ctx, 'do_has_symptom_unresolved');
      } else if (rel === 'disease has location') {
        const u = ctx.lookup.uberonByName.get(normName(filler));
        const a = u ? ensureAnatomy(ctx, u, bit) : undefined;
        if (!ctx.edges.add('localizes', doid, a, bit)) bump(ctx, 'do_location_unresolved');
      } else if (rel === 'has material basis in') {
        const t = ctx.lookup.taxonByName.get(normName(filler));
        if (t) ctx.edges.add('caused_by', doid, ensurePathogen(ctx, t, bit), bit);
        else bump(ctx, 'do_material_basis_not_organism');
      }
    }
  }
  addFacetEdges(ctx, facets, bit);
}
