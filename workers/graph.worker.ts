/// <reference lib="webworker" />
/** Graph worker entry: holds the KnowledgeGraph off the main thread and answers queries. */
import * as Comlink from 'comlink';
import type { KnowledgeGraph } from '../src/graph/knowledge-graph';
import { openWorkbenchDb, type WorkbenchDatabase } from '../src/storage/open-db';
import type { GraphWorkerApi, LoadProgress } from './graph-api';
import { loadDefaultGraph } from './load-default-graph';

let graph: KnowledgeGraph | null = null;
let loading: ReturnType<typeof loadDefaultGraph> | null = null;

async function openDbOrNull(): Promise<WorkbenchDatabase | null> {
  try {
    return await openWorkbenchDb();
  } catch {
    return null; // private mode or storage disabled: load from the network each time
  }
}

function requireGraph(): KnowledgeGraph {
  if (!graph) throw new Error('The graph is not loaded yet');
  return graph;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

const api: GraphWorkerApi = {
  async loadDefault(onProgress?: (p: LoadProgress) => void) {
    if (!loading) {
      const baseUrl = new URL(import.meta.env.BASE_URL, self.location.origin).href;
      loading = openDbOrNull().then((db) => loadDefaultGraph({ baseUrl, db }, (p) => onProgress?.(p)));
      loading.catch(() => (loading = null));
    }
    const { graph: g, result } = await loading;
    if (graph !== g) {
      graph = g;
      // Build the name index right after answering, so the first search is fast too.
      setTimeout(() => void g.names, 0);
    }
    return result;
  },

  async search(query, limit = 20, types) {
    const g = requireGraph();
    const typeIdx = types?.map((t) => g.nodeTypes.indexOf(t)).filter((i) => i >= 0);
    return g.search(query, { limit, ...(typeIdx && typeIdx.length ? { types: typeIdx } : {}) }).map(({ node: _n, ...hit }) => hit);
  },

  async details(id) {
    const g = requireGraph();
    const i = g.findById(id);
    return i < 0 ? null : g.details(i);
  },

  async benchSearch(queries) {
    const g = requireGraph();
    g.names; // index build is not part of query latency
    const times: number[] = [];
    for (const q of queries) {
      const t = performance.now();
      g.search(q, { limit: 20 });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: times[times.length - 1] ?? 0, mean: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length) };
  },
};

Comlink.expose(api);
