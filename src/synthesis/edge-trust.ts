/**
 * Edge trust: how well an edge is supported decides what it may be used for. Every edge of
 * the graph file carries the datasets that assert it; each dataset has a grade (expert
 * curated, curated from labels, crowd-sourced, inferred by a reasoner, text-mined, or an
 * imported file) and a family (datasets that copy one another count once). An edge is
 * STRONG for its relation when one of its datasets has a grade that relation accepts alone,
 * or when two independent families assert it. Only strong edges become shown evidence or a
 * key. Every edge, weak ones included, still counts as a sign that an option might be right:
 * a weak "drug treats disease" never makes a key, but it does keep that drug out of the
 * distractors.
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import type { PackedEdgeGroup } from '../graph/packed-graph';
import { buildCsr, type Csr } from '../graph/csr';
import { harmfulEdge } from './known-harm';

/**
 * 'partial': curated with low agreement (one curator, or one source resource); 'prevention':
 * a prevention or risk-reduction indication, never evidence that a drug treats.
 */
export type EvidenceGrade = 'expert' | 'label' | 'partial' | 'crowd' | 'inferred' | 'text_mined' | 'prevention' | 'compilation';

export interface DatasetTrust {
  grade: EvidenceGrade;
  /** datasets of one family are one source (Hetionet's CtD rows are PharmacotherapyDB's) */
  family: string;
  /** shown in the Generate panel */
  note: string;
  /**
   * the source summarises (a definition names a disease's main features): what it asserts is
   * evidence, but its silence is not — its edges never make a node "well described" enough for
   * an absent edge to count (SynthGraph.describedDegree)
   */
  summary?: true;
}

/** Grades of the default graph's datasets (src/graph/attribution.ts ids). Imported files' datasets are 'expert' by default: the user chose the graph. */
export const DATASET_TRUST: Readonly<Record<string, DatasetTrust>> = {
  hetionet: { grade: 'compilation', family: 'hetionet', note: 'a compilation: its edges are credited to the underlying source as well' },
  disease_ontology: { grade: 'expert', family: 'disease_ontology', note: 'ontology curators (DO axioms)' },
  disease_ontology_2015: { grade: 'expert', family: 'disease_ontology', note: 'names only' },
  symptom_ontology: { grade: 'expert', family: 'symptom_ontology', note: 'ontology curators' },
  drugcentral: { grade: 'label', family: 'drugcentral', note: 'curated from drug labels; some salt-form rows carry the parent drug’s indications' },
  pharmacotherapydb: { grade: 'expert', family: 'pharmacotherapydb', note: 'physician-curated indications' },
  labeledin: { grade: 'label', family: 'labeledin', note: 'indications read from drug labels' },
  mesh_2015: { grade: 'expert', family: 'mesh', note: 'NLM indexers' },
  uberon: { grade: 'expert', family: 'uberon', note: 'ontology curators' },
  medline_cooccurrence: { grade: 'text_mined', family: 'medline', note: 'MeSH headings co-occurring in MEDLINE articles: association, not assertion' },
  wikidata: { grade: 'crowd', family: 'wikidata', note: 'crowd-sourced statements' },
  diseases_gwas: { grade: 'text_mined', family: 'diseases_gwas', note: 'text mining and GWAS association' },
  gene_ontology: { grade: 'expert', family: 'gene_ontology', note: 'GO curators' },
  pathways: { grade: 'expert', family: 'pathways', note: 'pathway curators' },
  disease_ontology_facets: { grade: 'inferred', family: 'disease_ontology', note: 'inferred from DO axioms (closure, most specific terms kept)' },
  pharmacotherapydb_low_agreement: { grade: 'partial', family: 'pharmacotherapydb', note: 'PharmacotherapyDB rows with one curator or one source resource: need a second, independent source' },
  labeledin_crowd: { grade: 'crowd', family: 'labeledin', note: 'LabeledIn rows annotated by the crowd only' },
  disease_ontology_definitions: { grade: 'expert', family: 'disease_ontology', note: 'findings named in DO curators\' definitions (exact finding names, negated phrases skipped); a summary, so it never makes a missing finding informative', summary: true },
  drugcentral_multi_gene: { grade: 'partial', family: 'drugcentral', note: 'a target row naming several genes (a complex or a family): which member the drug acts on is not said; needs a second, independent source' },
  drugcentral_prevention: { grade: 'prevention', family: 'drugcentral', note: 'prevention / risk-reduction indications: never evidence that a drug treats' },
};

/**
 * The trust of one dataset of a graph. The default graph's datasets have fixed grades; an
 * imported file's named sources (Hetionet edge "sources", a triples "source" column) are
 * graded by name (MEDLINE co-occurrence and text mining are text-mined, predictions are
 * inferred, anything else is taken as curated); the imported file itself is a compilation
 * whose edges count on their sources when they name any.
 */
export function datasetTrust(id: string, name = id, isFileOfImport = false): DatasetTrust {
  const known = DATASET_TRUST[id];
  if (known) return known;
  if (isFileOfImport) return { grade: 'compilation', family: id, note: 'the imported file; its edges count on the sources they name, else on the file' };
  if (/medline|co-?occurr|text.?min|literature/i.test(name)) return { grade: 'text_mined', family: name, note: 'text-mined (by name)' };
  if (/infer|predict|comput/i.test(name)) return { grade: 'inferred', family: name, note: 'inferred (by name)' };
  return { grade: 'expert', family: name, note: 'imported source' };
}

/** Trust per dataset bit of a graph (its `datasets` list, in bit order). */
export function trustTable(datasets: readonly { id: string; name: string }[]): DatasetTrust[] {
  const imported = datasets.some((d) => /^source-\d+$|^other-sources$/.test(d.id));
  return datasets.map((d) => datasetTrust(d.id, d.name, imported && !/^source-\d+$|^other-sources$/.test(d.id) && !DATASET_TRUST[d.id]));
}

/** Per relation role: the grades that make an edge strong on their own; otherwise two independent families are needed. */
export interface RelationPolicy {
  single: readonly EvidenceGrade[];
  /** grades whose families count toward the two-family rule */
  corroborating: readonly EvidenceGrade[];
  /** when set, two families make an edge strong only if one of them has one of these grades (a crowd statement may back a label row, not a low-agreement one) */
  anchor?: readonly EvidenceGrade[];
}

const DEFAULT_POLICY: RelationPolicy = { single: ['expert', 'label', 'crowd', 'inferred'], corroborating: ['expert', 'label', 'partial', 'crowd', 'inferred', 'text_mined'] };

/**
 * Why each rule: a treatment key needs an agreed physician-curated row (two curators and,
 * for an indication, two source resources: pharmacotherapydb) or two independent curated or
 * label sources (one label row can be a combination product's, one curated row with one
 * curator can mean a complication — irbesartan for type 2 diabetes —, a crowd statement can
 * be wrong); a location key
 * needs DO's own axiom (the inferred "most specific" facet and MEDLINE co-occurrence name
 * generic or merely co-mentioned structures); a cause needs an explicit assertion (the
 * inferred taxon facet mixes in vectors and hosts); findings must be DO's own axioms or be
 * asserted by two families: a Wikidata statement alone can be wrong ("Clostridium difficile
 * colitis presents constipation"), MEDLINE co-occurrence is association only, and DO's
 * inferred facet spreads symptoms over whole branches ("stridor" for sinusitis).
 */
export const RELATION_POLICY: Readonly<Record<string, RelationPolicy>> = {
  // indications: an agreed curated row alone, else two independent sources of which one is a curated or label
  // source (a low-agreement row plus a crowd statement is not enough: irbesartan for type 2 diabetes); a
  // prevention row never counts
  treats: { single: ['expert'], corroborating: ['expert', 'label', 'partial', 'crowd'], anchor: ['expert', 'label'] },
  palliates: { single: ['expert'], corroborating: ['expert', 'label', 'partial', 'crowd'], anchor: ['expert', 'label'] },
  not_indicated_for: { single: ['expert'], corroborating: ['expert', 'label', 'partial', 'crowd'], anchor: ['expert', 'label'] },
  localizes: { single: ['expert'], corroborating: ['expert', 'label', 'crowd'] },
  caused_by: { single: ['expert', 'crowd'], corroborating: ['expert', 'label', 'crowd'] },
  presents: { single: ['expert'], corroborating: ['expert', 'label', 'crowd', 'inferred', 'text_mined'] },
  in_class: { single: ['expert', 'label'], corroborating: ['expert', 'label', 'crowd'] },
  targets: { single: ['expert', 'label'], corroborating: ['expert', 'label', 'crowd'] },
};

export function policyFor(role: string): RelationPolicy {
  return RELATION_POLICY[role] ?? DEFAULT_POLICY;
}

/**
 * Is an edge asserted by `mask` (bits over the graph's datasets, graded by `trust`) strong
 * under `policy`, ignoring the `excluded` dataset ids? A compilation's bit counts only when
 * the edge names no other source (then the compilation is all there is to go on).
 */
export function isStrongMask(mask: number, trust: readonly (DatasetTrust & { id?: string })[] | readonly string[], policy: RelationPolicy, excluded: ReadonlySet<string> = new Set()): boolean {
  const table = typeof trust[0] === 'string' ? (trust as readonly string[]).map((id) => ({ ...datasetTrust(id), id })) : (trust as readonly (DatasetTrust & { id?: string })[]);
  const families = new Set<string>();
  let anchored = !policy.anchor;
  let sources = 0;
  let compilation = false;
  for (let i = 0; i < table.length; i++) {
    if (!((mask >>> i) & 1)) continue;
    const t = table[i]!;
    if (t.id !== undefined && excluded.has(t.id)) continue;
    if (t.grade === 'compilation') {
      compilation = true;
      continue;
    }
    sources++;
    if (policy.single.includes(t.grade)) return true;
    if (policy.corroborating.includes(t.grade)) {
      families.add(t.family);
      if (policy.anchor?.includes(t.grade)) anchored = true;
    }
  }
  if (sources === 0 && compilation) return true;
  return families.size >= 2 && anchored;
}

/** Names of the datasets in a mask, for messages and the report. */
export function datasetNames(mask: number, datasetIds: readonly string[]): string[] {
  return datasetIds.filter((_, i) => (mask >>> i) & 1);
}

/**
 * The strong edges of one edge type as their own CSR (both directions), built once per
 * synthesis run: sampling and key checks then cost what they cost on the full graph.
 */
export interface StrongAdjacency {
  out: Csr;
  in: Csr;
  /** edges kept / total */
  kept: number;
  total: number;
}

export function strongAdjacency(kg: KnowledgeGraph, edgeType: number, policy: RelationPolicy, excluded: ReadonlySet<string>): StrongAdjacency {
  // a known-harm pair (known-harm.ts: corticosteroid × rosacea) is never strong, whatever asserts it
  const harmful = harmfulEdge(kg, edgeType);
  const group = kg.packed.edges.find((e) => e.type === edgeType);
  const table = trustTable(kg.datasets).map((t, i) => ({ ...t, id: kg.datasets[i]!.id }));
  if (!group) {
    const empty = buildCsr(kg.nodeCount, new Uint32Array(0), new Uint32Array(0));
    return { out: empty, in: empty, kept: 0, total: 0 };
  }
  const m = group.src.length;
  const familyRow = familyRowEdges(kg, group, table);
  // the verdict depends only on the mask: decide each distinct mask once
  const verdict = new Map<number, boolean>();
  const keep = new Uint8Array(m);
  let kept = 0;
  for (let e = 0; e < m; e++) {
    const mask = group.datasets[e]!;
    let v = verdict.get(mask);
    if (v === undefined) verdict.set(mask, (v = isStrongMask(mask, table, policy, excluded)));
    if (v && !harmful?.(group.src[e]!, group.dst[e]!) && !familyRow?.[e]) {
      keep[e] = 1;
      kept++;
    }
  }
  const src = new Uint32Array(kept);
  const dst = new Uint32Array(kept);
  for (let e = 0, k = 0; e < m; e++) {
    if (!keep[e]) continue;
    src[k] = group.src[e]!;
    dst[k++] = group.dst[e]!;
  }
  return { out: buildCsr(kg.nodeCount, src, dst), in: buildCsr(kg.nodeCount, dst, src), kept, total: m };
}

/** genes of one family a drug reaches through one source before its edges are taken as one family-level row */
export const FAMILY_ROW_GENES = 10;

/**
 * Edges to genes that came from a family-level row (review round 4, N13): DrugCentral maps
 * "Voltage-gated potassium channel" to 40 genes for fampridine and "Mitochondrial complex I"
 * to 43 for metformin, so "KCNQ2 is a target of fampridine" would be stated (KCNQ channels are
 * 4-aminopyridine-insensitive). The graph keeps rows only as edges with their datasets, so a
 * row is recognised by its shape: one drug, one source family, ten or more genes of one symbol
 * stem (KCN…, NDUF…, GABR…). Such an edge is kept for "could this be right?" checks but is
 * never strong (a key, evidence or a stated fact) unless a dataset of another family also
 * asserts that pair. Null when the edge type does not point at genes or no row is found.
 */
export function familyRowEdges(kg: KnowledgeGraph, group: PackedEdgeGroup, table: readonly DatasetTrust[]): Uint8Array | null {
  const info = kg.header.edgeTypes[group.type];
  if (!info || !/gene|protein/i.test(info.target)) return null;
  const familyOf = (mask: number): string | null => {
    let f: string | null = null;
    for (let k = 0; k < table.length; k++) {
      if (!((mask >>> k) & 1)) continue;
      if (f !== null && table[k]!.family !== f) return null; // asserted by two families: confirmed
      f = table[k]!.family;
    }
    return f;
  };
  const groups = new Map<string, number[]>();
  for (let e = 0; e < group.src.length; e++) {
    const f = familyOf(group.datasets[e]!);
    if (f === null) continue;
    const stem = /^[A-Z]{3}/.exec(kg.nodeName(group.dst[e]!).toUpperCase())?.[0];
    if (!stem) continue;
    const key = `${group.src[e]}|${f}|${stem}`;
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  let out: Uint8Array | null = null;
  for (const list of groups.values()) {
    if (list.length < FAMILY_ROW_GENES) continue;
    out ??= new Uint8Array(group.src.length);
    for (const e of list) out[e] = 1;
  }
  return out;
}

/** Dataset mask of each edge of one type, by (head, tail); built once (the report reads many). */
export function edgeMaskIndex(kg: KnowledgeGraph, edgeType: number): (head: number, tail: number) => number {
  const group = kg.packed.edges.find((e) => e.type === edgeType);
  const map = new Map<number, number>();
  const n = kg.nodeCount;
  if (group) for (let e = 0; e < group.src.length; e++) map.set(group.src[e]! * n + group.dst[e]!, (map.get(group.src[e]! * n + group.dst[e]!) ?? 0) | group.datasets[e]!);
  return (head, tail) => map.get(head * n + tail) ?? 0;
}
