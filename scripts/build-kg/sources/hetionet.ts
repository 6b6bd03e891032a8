/**
 * Hetionet v1.0: nodes (genes, compounds joined to DrugCentral via DrugBank ids,
 * diseases, symptoms, anatomy, classes, GO terms, pathways) and the edges-5k sample,
 * keeping only metaedges whose underlying sources are strictly permissive.
 */
import { datasetBit } from '../../../src/graph/attribution';
import { bump, srcPath, type BuildContext } from '../context';
import { readText, readTsv } from '../tsv';
import { ensureAnatomy, ensureDisease } from './common';

/** Kept metaedges: edge type, whether to reverse, and the datasets behind them. */
export const HETIONET_KEEP: Record<string, { type: string; reverse?: boolean; extra?: string }> = {
  CtD: { type: 'treats' },
  CpD: { type: 'palliates' },
  DlA: { type: 'localizes', extra: 'medline_cooccurrence' },
  DpS: { type: 'presents', extra: 'medline_cooccurrence' },
  DrD: { type: 'resembles', extra: 'medline_cooccurrence' },
  PCiC: { type: 'in_class', reverse: true, extra: 'drugcentral' },
  GpBP: { type: 'participates_process', extra: 'gene_ontology' },
  GpCC: { type: 'participates_component', extra: 'gene_ontology' },
  GpMF: { type: 'participates_function', extra: 'gene_ontology' },
  GpPW: { type: 'participates_pathway', extra: 'pathways' },
};

/** Dropped metaedges and why (mirrored in LICENCE_NOTES / ATTRIBUTION.md). */
export const HETIONET_DROP: Record<string, string> = {
  CcSE: 'SIDER 4, CC BY-NC-SA 4.0',
  CbG: 'partly DrugBank (non-commercial) / BindingDB share-alike',
  CrC: 'computed from DrugBank structures (non-commercial terms)',
  CdG: 'LINCS L1000 (research/academic use only, no redistribution)',
  CuG: 'LINCS L1000 (research/academic use only, no redistribution)',
  'Gr>G': 'LINCS L1000 (research/academic use only, no redistribution)',
  AeG: 'Bgee (no licence) / TISSUES',
  AdG: 'Bgee (no licence)',
  AuG: 'Bgee (no licence)',
  DdG: 'STARGEO (no licence)',
  DuG: 'STARGEO (no licence)',
  GiG: 'Human Interactome Database, Incomplete Interactome, hetio-dag (no licence)',
  GcG: 'Evolutionary Rate Covariation (no licence)',
  DaG: 'superseded by DaG-association.tsv with per-row licence (ODbL rows dropped there)',
};

const LAZY_KINDS: Record<string, { type: string; extra: string }> = {
  'Biological Process': { type: 'biological_process', extra: 'gene_ontology' },
  'Cellular Component': { type: 'cellular_component', extra: 'gene_ontology' },
  'Molecular Function': { type: 'molecular_function', extra: 'gene_ontology' },
  Pathway: { type: 'pathway', extra: 'pathways' },
};

export function pathwayCurie(raw: string): string {
  if (raw.startsWith('WP')) return `WikiPathways:${raw.replace(/_r\d+$/, '')}`;
  if (raw.startsWith('PC7_')) return `PathwayCommons:${raw}`;
  return raw;
}

/** Hetionet node id ("Kind::local") -> graph node id, or a lazy node recipe. */
export interface HetionetNodeMap {
  ids: Map<string, string>;
  lazy: Map<string, { id: string; type: string; name: string; bits: number }>;
}

export function loadHetionetNodes(ctx: BuildContext): HetionetNodeMap {
  const bit = datasetBit('hetionet');
  const map: HetionetNodeMap = { ids: new Map(), lazy: new Map() };
  for (const r of readTsv(srcPath(ctx, 'hetionet', 'hetionet-v1.0-nodes.tsv'))) {
    const hid = r.id ?? '';
    const kind = r.kind ?? '';
    const name = r.name ?? '';
    const local = hid.slice(hid.indexOf('::') + 2);
    let id: string | undefined;
    if (kind === 'Gene') {
      id = `NCBIGene:${local}`;
      ctx.reg.upsert('gene', id, name, bit);
      const sym = name.toUpperCase();
      if (!ctx.lookup.geneBySymbol.has(sym)) ctx.lookup.geneBySymbol.set(sym, id);
    } else if (kind === 'Compound') {
      const db = `DrugBank:${local}`;
      const hit = ctx.reg.resolve('drug', { xrefs: [db], names: [name] });
      if (hit) {
        id = hit.id;
        const e = ctx.reg.get(id)!;
        ctx.reg.addXref(e, db);
        ctx.reg.addSynonym(e, name);
        e.datasets |= bit;
        bump(ctx, `drugs_hetionet_joined_by_${hit.via === 'xref' ? 'drugbank' : 'name'}`);
      } else {
        id = db;
        ctx.reg.upsert('drug', id, name, bit);
        bump(ctx, 'drugs_hetionet_own_node');
      }
    } else if (kind === 'Disease') {
      id = ensureDisease(ctx, local, name, bit);
    } else if (kind === 'Symptom') {
      if (ctx.lookup.nonFindingMesh.has(`MESH:${local}`)) continue; // not a clinical finding: its DpS edges are dropped
      id = ctx.reg.byXref('symptom', `MESH:${local}`);
      if (id) ctx.reg.get(id)!.datasets |= bit;
    } else if (kind === 'Anatomy') {
      id = ensureAnatomy(ctx, local, bit, name);
    } else if (kind === 'Pharmacologic Class') {
      id = `NDFRT:${local}`;
      ctx.reg.upsert('pharmacologic_class', id, ctx.reg.get(id)?.name ?? name, bit | datasetBit('drugcentral'));
    } else if (LAZY_KINDS[kind]) {
      const k = LAZY_KINDS[kind];
      const gid = kind === 'Pathway' ? pathwayCurie(local) : local;
      map.lazy.set(hid, { id: gid, type: k.type, name, bits: bit | datasetBit(k.extra) });
      continue;
    } else {
      continue; // Side Effect: SIDER-derived, not used
    }
    if (id) map.ids.set(hid, id);
  }
  return map;
}

function endpoint(ctx: BuildContext, map: HetionetNodeMap, hid: string): string | undefined {
  const id = map.ids.get(hid);
  if (id) return id;
  const lazy = map.lazy.get(hid);
  if (!lazy) return undefined;
  ctx.reg.upsert(lazy.type, lazy.id, lazy.name, lazy.bits);
  map.ids.set(hid, lazy.id);
  return lazy.id;
}

export function loadHetionetEdges(ctx: BuildContext, map: HetionetNodeMap): void {
  const bit = datasetBit('hetionet');
  const lines = readText(srcPath(ctx, 'hetionet', 'edges-5k.sif.gz')).split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const [s, metaedge, t] = (lines[i] ?? '').split('\t');
    if (!s || !metaedge || !t) continue;
    const keep = HETIONET_KEEP[metaedge];
    if (!keep) {
      bump(ctx, HETIONET_DROP[metaedge] ? `hetionet_dropped_${metaedge}` : `hetionet_unknown_${metaedge}`);
      continue;
    }
    if (metaedge === 'PCiC' && ctx.lookup.droppedClasses.has(map.ids.get(s) ?? '')) {
      bump(ctx, 'hetionet_PCiC_not_a_pharmacologic_class');
      continue;
    }
    const a = endpoint(ctx, map, s);
    const b = endpoint(ctx, map, t);
    const bits = bit | (keep.extra ? datasetBit(keep.extra) : 0);
    const ok = keep.reverse ? ctx.edges.add(keep.type, b, a, bits) : ctx.edges.add(keep.type, a, b, bits);
    bump(ctx, ok ? `hetionet_kept_${metaedge}` : `hetionet_unresolved_${metaedge}`);
  }
}
