/**
 * The graph library: imported graphs saved beside the default one in IndexedDB, which
 * one is active, and opening / importing / deleting them. The import is fully built and
 * indexed in memory before the single save transaction, so a bad or cancelled file
 * leaves the library exactly as it was.
 */
import { importGraph } from '../src/graph/import/import-graph';
import type { ImportFormat } from '../src/graph/import/import-source';
import { KnowledgeGraph } from '../src/graph/knowledge-graph';
import { deleteGraph, getActiveGraphId, importedGraphId, listGraphs, loadGraph, saveGraph, setActiveGraphId } from '../src/storage/graph-cache';
import type { WorkbenchDatabase } from '../src/storage/open-db';
import type { GraphEntry, GraphLoadResult, ImportJobProgress, ImportOutcome, LoadProgress } from './graph-api';
import { DEFAULT_GRAPH_ID, finish, loadDefaultGraph, type LoaderDeps } from './load-default-graph';

export type Loaded = { graph: KnowledgeGraph; result: GraphLoadResult };

export async function listLibrary(db: WorkbenchDatabase | null): Promise<GraphEntry[]> {
  const metas = db ? await listGraphs(db) : [];
  const entries: GraphEntry[] = metas.map((m) => ({ id: m.id, name: m.name, origin: m.origin, savedAt: m.savedAt, nodes: m.header.nodeCount, edges: m.header.edgeCount, description: m.header.description }));
  // the default graph is always listed, cached or not
  if (!entries.some((e) => e.id === DEFAULT_GRAPH_ID)) entries.unshift({ id: DEFAULT_GRAPH_ID, name: 'Default medical graph', origin: 'default', savedAt: '', nodes: 0, edges: 0, description: 'built into the app' });
  return entries.sort((a, b) => (a.origin === b.origin ? a.savedAt.localeCompare(b.savedAt) : a.origin === 'default' ? -1 : 1));
}

/** Opens a graph by id: the default through its loader (network or cache), others from the cache. */
export async function openById(deps: LoaderDeps, id: string, onProgress: (p: LoadProgress) => void): Promise<Loaded> {
  if (id === DEFAULT_GRAPH_ID || !deps.db) {
    const r = await loadDefaultGraph(deps, onProgress);
    r.result.id = DEFAULT_GRAPH_ID;
    return r;
  }
  const t0 = performance.now();
  onProgress({ stage: 'cache', message: 'Reading the stored graph' });
  const cached = await loadGraph(deps.db, id);
  if (cached.status !== 'hit') throw new Error(`Graph ${id} cannot be opened: ${cached.reason}`);
  const read = performance.now();
  onProgress({ stage: 'index', message: 'Building adjacency (CSR)' });
  const graph = new KnowledgeGraph(cached.packed);
  const timings = { cacheRead: Math.round(read - t0), buildCsr: Math.round(performance.now() - read) };
  const result = finish(graph, 'cache', undefined, timings, t0);
  result.id = id;
  result.name = cached.meta.name;
  onProgress({ stage: 'ready', message: 'Ready' });
  return { graph, result };
}

/** Opens the graph the user chose last, falling back to the default graph. */
export async function openActive(deps: LoaderDeps, onProgress: (p: LoadProgress) => void): Promise<Loaded> {
  const active = deps.db ? await getActiveGraphId(deps.db).catch(() => null) : null;
  if (active && active !== DEFAULT_GRAPH_ID) {
    try {
      return await openById(deps, active, onProgress);
    } catch {
      // the chosen graph is gone or damaged: fall back to the default graph
    }
  }
  return openById(deps, DEFAULT_GRAPH_ID, onProgress);
}

export async function activate(db: WorkbenchDatabase | null, id: string): Promise<void> {
  if (db) await setActiveGraphId(db, id);
}

export async function importIntoLibrary(
  db: WorkbenchDatabase | null,
  file: Blob,
  fileName: string,
  format: ImportFormat,
  graphName: string,
  signal: AbortSignal,
  onProgress: (p: ImportJobProgress) => void,
): Promise<ImportOutcome & { graph: KnowledgeGraph }> {
  const t0 = performance.now();
  const packed = await importGraph({ name: fileName, blob: file }, format, { signal, onProgress, graphName });
  const t1 = performance.now();
  onProgress({ stage: 'indexing', bytesRead: file.size, totalBytes: file.size, rows: packed.header.edgeCount });
  const graph = new KnowledgeGraph(packed);
  const t2 = performance.now();
  const id = importedGraphId(packed.header.name);
  if (signal.aborted) throw new Error(`${fileName}: import cancelled`);
  if (db) {
    onProgress({ stage: 'saving', bytesRead: file.size, totalBytes: file.size, rows: packed.header.edgeCount });
    await saveGraph(db, { id, name: packed.header.name, origin: 'import', savedAt: new Date().toISOString(), header: packed.header }, packed);
    await setActiveGraphId(db, id);
  }
  const t3 = performance.now();
  const result = finish(graph, 'network', undefined, { import: Math.round(t1 - t0), buildCsr: Math.round(t2 - t1), save: Math.round(t3 - t2) }, t0);
  result.id = id;
  return { id, result, graph, timings: { import: t1 - t0, index: t2 - t1, save: t3 - t2 } };
}

export async function removeFromLibrary(db: WorkbenchDatabase | null, id: string): Promise<void> {
  if (id === DEFAULT_GRAPH_ID) throw new Error('The default graph cannot be deleted');
  if (!db) return;
  await deleteGraph(db, id);
  if ((await getActiveGraphId(db)) === id) await setActiveGraphId(db, DEFAULT_GRAPH_ID);
}
