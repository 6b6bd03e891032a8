/** The typed contract between the UI and the graph worker (comlink RPC). */
import type { NeighbourGroup, PathStep } from '../src/graph/explore';
import type { GraphStats } from '../src/graph/graph-stats';
import type { ImportFormat, ImportProgress } from '../src/graph/import/import-source';
import type { Direction, NodeDetails, NodeSummary } from '../src/graph/knowledge-graph';
import type { MatchKind } from '../src/graph/name-index';
import type { DatasetInfo } from '../src/graph/format';

export type LoadStage = 'manifest' | 'cache' | 'download' | 'decode' | 'pack' | 'index' | 'save' | 'ready';

export interface LoadProgress {
  stage: LoadStage;
  /** bytes or items done, when the stage can count them */
  done?: number;
  total?: number;
  message: string;
}

export interface GraphLoadResult {
  /** id of the graph in the library ("default" for the embedded one) */
  id?: string;
  name: string;
  source: 'network' | 'cache';
  /** why the cache was not used, when it was not */
  cacheNote?: string;
  stats: GraphStats;
  datasets: DatasetInfo[];
  timings: Record<string, number>;
  /** bytes held by the packed columns and CSR indices */
  memoryBytes: number;
}

export interface EntityDetails extends NodeDetails {
  /** share of entities of the same type with a strictly lower degree (rarity is the share with a higher one) */
  lessConnectedShare: number;
}

export interface SearchHitDto extends NodeSummary {
  kind: MatchKind;
  matched: string;
  score: number;
}

/** One graph in the IndexedDB library. */
export interface GraphEntry {
  id: string;
  name: string;
  origin: 'default' | 'import';
  savedAt: string;
  nodes: number;
  edges: number;
  description: string;
}

export interface ImportJobProgress extends Omit<ImportProgress, 'stage'> {
  stage: ImportProgress['stage'] | 'indexing' | 'saving';
}

export interface ImportOutcome {
  id: string;
  result: GraphLoadResult;
  timings: { import: number; index: number; save: number };
}

export interface GraphWorkerApi {
  /** Opens the graph chosen last (the default graph on a first visit). */
  loadDefault(onProgress?: (p: LoadProgress) => void): Promise<GraphLoadResult>;
  /** Makes a stored graph (or "default") the active one. */
  openGraph(id: string, onProgress?: (p: LoadProgress) => void): Promise<GraphLoadResult>;
  listGraphs(): Promise<GraphEntry[]>;
  /** Deletes an imported graph; deleting the active one reopens the default graph. */
  deleteGraph(id: string): Promise<GraphLoadResult | null>;
  /** Imports a file, stores it as a new graph and makes it active; nothing is stored on failure. */
  importFile(file: Blob, fileName: string, format: ImportFormat, graphName: string, onProgress?: (p: ImportJobProgress) => void): Promise<ImportOutcome>;
  /** Cancels the running import (it then rejects with "import cancelled"). */
  cancelImport(): Promise<void>;
  search(query: string, limit?: number, types?: string[]): Promise<SearchHitDto[]>;
  /** the entity's details, with the share of same-type entities that have fewer relations */
  details(id: string): Promise<EntityDetails | null>;
  summary(id: string): Promise<NodeSummary | null>;
  /** The entity's neighbours grouped by edge type (or one group), each cut to `limit`. */
  neighbours(id: string, opts?: { edgeTypes?: string[]; nodeTypes?: string[]; limit?: number; only?: { edgeType: string; direction: Direction } }): Promise<NeighbourGroup[] | null>;
  shortestPath(fromId: string, toId: string, maxDepth?: number, edgeTypes?: string[]): Promise<PathStep[] | null>;
  /** search latency measured inside the worker, for the benchmark */
  benchSearch(queries: string[]): Promise<{ p50: number; p95: number; max: number; mean: number }>;
}
