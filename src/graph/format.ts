/**
 * The on-disk graph file ("fleming-kg" v1): compact, columnar, facts only.
 *
 * Nodes are addressed by their index in the node columns; edges are grouped by
 * edge type, each type having exactly one source and one target node type, so the
 * in-memory store can build one CSR per (edge type, direction) without lookups.
 * The file is JSON, optionally gzip-compressed (detected by magic bytes).
 */
export const GRAPH_FORMAT = 'fleming-kg' as const;
export const GRAPH_FORMAT_VERSION = 1 as const;

export interface DatasetInfo {
  /** short stable key, e.g. "hetionet", "drugcentral" */
  id: string;
  /** human name with version/year, e.g. "DrugCentral (2016)" */
  name: string;
  licence: string;
  /** attribution text the licence asks for (credit line) */
  attribution: string;
  url?: string;
}

export interface EdgeTypeInfo {
  /** snake_case relation name, unique in the file, e.g. "treats" */
  name: string;
  /** node type of the head (source) */
  source: string;
  /** node type of the tail (target) */
  target: string;
  /** verb phrase read head→tail, e.g. "treats" */
  label: string;
  /** verb phrase read tail→head, e.g. "is treated by" */
  inverseLabel: string;
}

export interface GraphNodesV1 {
  /** primary identifier, a CURIE: DOID:1234, DrugCentral:5136, NCBIGene:25, UBERON:0000002, SYMP:0000061, MESH:D000006 … */
  id: string[];
  name: string[];
  /** index into GraphFileV1.nodeTypes */
  type: number[];
  /** other identifiers of the same entity, as CURIEs (UMLS:C…, MESH:D…, DrugBank:DB…, OMIM:…, ICD10CM:…) */
  xrefs: string[][];
  /** alternative names (only where useful for search) */
  synonyms: string[][];
  /** bitmask over GraphFileV1.datasets: which datasets contributed the node */
  datasets: number[];
}

export interface GraphEdgesV1 {
  /** index into GraphFileV1.edgeTypes */
  type: number;
  /** head node indices */
  src: number[];
  /** tail node indices, same length as src */
  dst: number[];
  /** per edge: bitmask over GraphFileV1.datasets (which datasets assert it) */
  datasets: number[];
}

export interface GraphFileV1 {
  format: typeof GRAPH_FORMAT;
  version: typeof GRAPH_FORMAT_VERSION;
  name: string;
  description?: string;
  builtAt?: string;
  datasets: DatasetInfo[];
  nodeTypes: string[];
  edgeTypes: EdgeTypeInfo[];
  nodes: GraphNodesV1;
  edges: GraphEdgesV1[];
}
