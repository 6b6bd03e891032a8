/** The typed contract between the UI and the graph worker (comlink RPC). */
import type { GraphStats } from '../src/graph/graph-stats';
import type { NodeDetails, NodeSummary } from '../src/graph/knowledge-graph';
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

export interface SearchHitDto extends NodeSummary {
  kind: MatchKind;
  matched: string;
  score: number;
}

export interface GraphWorkerApi {
  loadDefault(onProgress?: (p: LoadProgress) => void): Promise<GraphLoadResult>;
  search(query: string, limit?: number, types?: string[]): Promise<SearchHitDto[]>;
  details(id: string): Promise<NodeDetails | null>;
  /** search latency measured inside the worker, for the benchmark */
  benchSearch(queries: string[]): Promise<{ p50: number; p95: number; max: number; mean: number }>;
}
