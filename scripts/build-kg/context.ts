/** Shared state handed to every source loader. */
import { join } from 'node:path';
import { EntityRegistry } from './merge/entity-registry';
import { EdgeStore } from './merge/edge-store';
import { EDGE_TYPES } from './schema';

export interface BuildContext {
  /** root of the source files (../shared/kg) */
  srcDir: string;
  reg: EntityRegistry;
  edges: EdgeStore;
  /** merge / filter counters, reported in the summary */
  stats: Record<string, number>;
  /** lookup tables filled by early loaders and used by later ones (not nodes themselves) */
  lookup: {
    /** DOID -> name from DO 2015 term-names (for DOIDs referenced by 2015-era sources) */
    do2015Names: Map<string, string>;
    /** UBERON id -> name */
    uberonNames: Map<string, string>;
    /** normalised anatomy label -> UBERON id */
    uberonByName: Map<string, string>;
    /** NCBITaxon id -> name, and normalised name -> id (from DO facets) */
    taxonNames: Map<string, string>;
    taxonByName: Map<string, string>;
    /** gene symbol (upper case) -> NCBIGene CURIE */
    geneBySymbol: Map<string, string>;
    /** normalised MeSH 2015 descriptor name (and uninverted form) -> MESH:D… */
    meshByName: Map<string, string>;
    /** MESH:D… -> its MeSH 2015 tree numbers */
    meshTrees: Map<string, string[]>;
    /** MESH:D… symptom descriptors that are not clinical findings (see sources/findings.ts) */
    nonFindingMesh: Set<string>;
    /** symptom node ids that are not findings (Symptom Ontology groupings): never the target of presents */
    nonFindingSymptoms: Set<string>;
    /** NCBITaxon ids named as vectors or hosts ("transmitted by"): never causes */
    vectorTaxa: Set<string>;
    /** diseases under DO "parasitic ectoparasitic infectious disease": the only ones an arthropod may cause */
    ectoparasitic: Set<string>;
    /** class ids whose DrugCentral rows are not pharmacologic classes (physiologic effects, chemical groups …) */
    droppedClasses: Set<string>;
  };
}

export function createContext(srcDir: string): BuildContext {
  const reg = new EntityRegistry();
  return {
    srcDir,
    reg,
    edges: new EdgeStore(reg, EDGE_TYPES),
    stats: {},
    lookup: {
      do2015Names: new Map(),
      uberonNames: new Map(),
      uberonByName: new Map(),
      taxonNames: new Map(),
      taxonByName: new Map(),
      geneBySymbol: new Map(),
      meshByName: new Map(),
      meshTrees: new Map(),
      nonFindingMesh: new Set(),
      nonFindingSymptoms: new Set(),
      vectorTaxa: new Set(),
      droppedClasses: new Set(),
      ectoparasitic: new Set(),
    },
  };
}

export function bump(ctx: BuildContext, key: string, n = 1): void {
  ctx.stats[key] = (ctx.stats[key] ?? 0) + n;
}

export function srcPath(ctx: BuildContext, ...parts: string[]): string {
  return join(ctx.srcDir, ...parts);
}
