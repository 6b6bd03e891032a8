/// <reference lib="webworker" />
/**
 * The graph service of the domain worker: holds the ONE copy of the active
 * KnowledgeGraph in the app, answers the explorer's queries, runs imports, and lends the
 * graph to synthesis and trajectories (activeGraph()), so they always work on the graph
 * the user has open — the default one or an imported Hetionet / PrimeKG graph.
 */
import { neighbourGroups, shortestPath } from '../src/graph/explore';
import type { KnowledgeGraph } from '../src/graph/knowledge-graph';
import type { WorkbenchDatabase } from '../src/storage/open-db';
import type { GraphLoadResult, GraphWorkerApi, LoadProgress } from './graph-api';
import { activate, importIntoLibrary, listLibrary, openActive, openById, removeFromLibrary, type Loaded } from './graph-library';
import { DEFAULT_GRAPH_ID } from './load-default-graph';
import { optionalDatabase } from './worker-resources';

let graph: KnowledgeGraph | null = null;
let graphId: string | undefined;
let graphName = '';
let loading: Promise<Loaded> | null = null;
let importAbort: AbortController | null = null;

/** private mode or storage disabled: work from the network each time */
const db = (): Promise<WorkbenchDatabase | null> => optionalDatabase();

/** The graph the user has open, with its library id and name. */
export interface ActiveGraph {
  graph: KnowledgeGraph;
  id: string;
  name: string;
}

/**
 * The active graph, loading the one chosen last if nothing is loaded yet (synthesis or
 * trajectories may be asked before the Graph view was ever opened).
 */
export async function activeGraph(): Promise<ActiveGraph> {
  if (!loading) {
    loading = db().then((d) => openActive({ baseUrl: baseUrl(), db: d }, () => {}));
    loading.catch(() => (loading = null));
  }
  const loaded = await loading;
  if (!graph) use(loaded);
  return { graph: graph!, id: graphId ?? DEFAULT_GRAPH_ID, name: graphName };
}

/** The id of the graph in memory, if one is loaded (loads nothing). */
export function loadedGraphId(): string | undefined {
  return graph ? graphId : undefined;
}

/** Forget the loaded graph (after a workspace import replaced the library); the next call reloads. */
export function resetActiveGraph(): void {
  graph = null;
  graphId = undefined;
  graphName = '';
  loading = null;
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
  graphName = loaded.result.name;
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

/** Per graph and node type, the degrees sorted ascending: "less connected than" is a binary search. */
const sortedDegrees = new WeakMap<KnowledgeGraph, Uint32Array[]>();

function lessConnectedShare(g: KnowledgeGraph, i: number): number {
  let per = sortedDegrees.get(g);
  if (!per) {
    const lists: number[][] = g.nodeTypes.map(() => []);
    for (let k = 0; k < g.nodeCount; k++) lists[g.nodeTypeIndex(k)]!.push(g.degree[k]!);
    per = lists.map((l) => Uint32Array.from(l).sort());
    sortedDegrees.set(g, per);
  }
  const arr = per[g.nodeTypeIndex(i)]!;
  const d = g.degree[i]!;
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! < d) lo = mid + 1;
    else hi = mid;
  }
  return arr.length ? lo / arr.length : 0;
}

function node(id: string): number {
  const g = requireGraph();
  return g.findById(id);
}

export const graphApi: GraphWorkerApi = {
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
    return graphApi.openGraph(DEFAULT_GRAPH_ID);
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
    if (i < 0) return null;
    const g = requireGraph();
    return { ...g.details(i), lessConnectedShare: lessConnectedShare(g, i) };
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
