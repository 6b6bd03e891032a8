/// <reference lib="webworker" />
/** Graph worker entry: holds the active KnowledgeGraph off the main thread, answers queries, runs imports. */
import * as Comlink from 'comlink';
import { neighbourGroups, shortestPath } from '../src/graph/explore';
import type { KnowledgeGraph } from '../src/graph/knowledge-graph';
import { openWorkbenchDb, type WorkbenchDatabase } from '../src/storage/open-db';
import type { GraphLoadResult, GraphWorkerApi, LoadProgress } from './graph-api';
import { activate, importIntoLibrary, listLibrary, openActive, openById, removeFromLibrary, type Loaded } from './graph-library';
import { DEFAULT_GRAPH_ID } from './load-default-graph';

let graph: KnowledgeGraph | null = null;
let graphId: string | undefined;
let loading: Promise<Loaded> | null = null;
let importAbort: AbortController | null = null;
let dbPromise: Promise<WorkbenchDatabase | null> | null = null;

function db(): Promise<WorkbenchDatabase | null> {
  // private mode or storage disabled: work from the network each time
  dbPromise ??= openWorkbenchDb().catch(() => null);
  return dbPromise;
}

function baseUrl(): string {
  return new URL(import.meta.env.BASE_URL, self.location.origin).href;
}

function requireGraph(): KnowledgeGraph {
  if (!graph) throw new Error('The graph is not loaded yet');
  return graph;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function use(loaded: Loaded): GraphLoadResult {
  graphId = loaded.result.id;
  if (graph !== loaded.graph) {
    graph = loaded.graph;
    const g = graph;
    // Build the name index right after answering, so the first search is fast too.
    setTimeout(() => void g.names, 0);
  }
  return loaded.result;
}

/**
 * Progress callbacks travel on their own message port, so a late one could overwrite the
 * "ready" state the result sets. Each call returns a promise; awaiting the last before
 * answering keeps progress strictly before the result.
 */
function ordered<P>(cb?: (p: P) => unknown): { send(p: P): void; flush(): Promise<unknown> } {
  let last: Promise<unknown> = Promise.resolve();
  return {
    send: (p) => {
      if (cb) last = Promise.resolve(cb(p)).catch(() => {});
    },
    flush: () => last,
  };
}

function node(id: string): number {
  const g = requireGraph();
  return g.findById(id);
}

const api: GraphWorkerApi = {
  async loadDefault(onProgress?: (p: LoadProgress) => void) {
    const progress = ordered(onProgress);
    if (!loading) {
      loading = db().then((d) => openActive({ baseUrl: baseUrl(), db: d }, progress.send));
      loading.catch(() => (loading = null));
    }
    const r = use(await loading);
    await progress.flush();
    return r;
  },

  async openGraph(id, onProgress) {
    const progress = ordered(onProgress);
    const d = await db();
    const next = openById({ baseUrl: baseUrl(), db: d }, id, progress.send);
    loading = next;
    next.catch(() => (loading = null));
    const r = use(await next);
    await activate(d, id);
    await progress.flush();
    return r;
  },

  async listGraphs() {
    return listLibrary(await db());
  },

  async deleteGraph(id) {
    const d = await db();
    const wasActive = graphId === id;
    await removeFromLibrary(d, id);
    if (!wasActive) return null;
    return api.openGraph(DEFAULT_GRAPH_ID);
  },

  async importFile(file, fileName, format, graphName, onProgress) {
    importAbort?.abort();
    const ac = new AbortController();
    importAbort = ac;
    try {
      const progress = ordered(onProgress);
      const out = await importIntoLibrary(await db(), file, fileName, format, graphName, ac.signal, progress.send);
      await progress.flush();
      const loaded: Loaded = { graph: out.graph, result: out.result };
      loading = Promise.resolve(loaded);
      use(loaded);
      return { id: out.id, result: out.result, timings: out.timings };
    } finally {
      if (importAbort === ac) importAbort = null;
    }
  },

  async cancelImport() {
    importAbort?.abort();
  },

  async search(query, limit = 20, types) {
    const g = requireGraph();
    const typeIdx = types?.map((t) => g.nodeTypes.indexOf(t)).filter((i) => i >= 0);
    return g.search(query, { limit, ...(typeIdx && typeIdx.length ? { types: typeIdx } : {}) }).map(({ node: _n, ...hit }) => hit);
  },

  async details(id) {
    const i = node(id);
    return i < 0 ? null : requireGraph().details(i);
  },

  async summary(id) {
    const i = node(id);
    return i < 0 ? null : requireGraph().summary(i);
  },

  async neighbours(id, opts = {}) {
    const i = node(id);
    if (i < 0) return null;
    return neighbourGroups(requireGraph(), i, opts, opts.only);
  },

  async shortestPath(fromId, toId, maxDepth = 4, edgeTypes) {
    const a = node(fromId);
    const b = node(toId);
    if (a < 0 || b < 0) return null;
    return shortestPath(requireGraph(), a, b, Math.min(6, Math.max(1, maxDepth)), edgeTypes);
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
