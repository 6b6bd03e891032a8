/**
 * Loading the embedded default graph: from the IndexedDB cache when it is whole and
 * built from the file the app ships (manifest hash), otherwise from public/ — then
 * cached for the next visit. A damaged or outdated cache is dropped and rebuilt,
 * and the result says why, so the UI can tell the user.
 */
import { graphFileText, parseGraphJson } from '../src/graph/decode-graph-file';
import { parseGraphManifest, type GraphManifest } from '../src/graph/graph-manifest';
import { sha256Hex } from '../src/graph/hash';
import { KnowledgeGraph } from '../src/graph/knowledge-graph';
import { packGraph, packedBytes } from '../src/graph/packed-graph';
import { deleteGraph, loadGraph, saveGraph } from '../src/storage/graph-cache';
import type { WorkbenchDatabase } from '../src/storage/open-db';
import type { GraphLoadResult, LoadProgress } from './graph-api';

export const DEFAULT_GRAPH_ID = 'default';

export interface LoaderDeps {
  /** URL of the app's public root, ending in '/' */
  baseUrl: string;
  db: WorkbenchDatabase | null;
  fetchImpl?: typeof fetch;
}

export async function fetchWithProgress(
  fetchImpl: typeof fetch,
  url: string,
  onBytes: (done: number, total: number | undefined) => void,
): Promise<Uint8Array> {
  const res = await fetchImpl(url, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`);
  const total = Number(res.headers.get('content-length')) || undefined;
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let done = 0;
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    chunks.push(value);
    done += value.length;
    onBytes(done, total);
  }
  const out = new Uint8Array(done);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function graphMemoryBytes(g: KnowledgeGraph): number {
  // packed columns + two CSRs per edge group (offsets, targets, edge ids) + degree and rarity
  const n = g.nodeCount;
  const csr = g.packed.edges.reduce((b, eg) => b + 2 * (4 * (n + 1) + 8 * eg.src.length), 0);
  return packedBytes(g.packed) + csr + 8 * n;
}

export async function loadDefaultGraph(
  deps: LoaderDeps,
  onProgress: (p: LoadProgress) => void = () => {},
): Promise<{ graph: KnowledgeGraph; result: GraphLoadResult }> {
  const fetchImpl = deps.fetchImpl ?? fetch.bind(globalThis);
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  let last = t0;
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round((now - last) * 10) / 10;
    last = now;
  };

  onProgress({ stage: 'manifest', message: 'Checking the default graph version' });
  let manifest: GraphManifest | null = null;
  let manifestError = '';
  try {
    const res = await fetchImpl(new URL('kg/manifest.json', deps.baseUrl).href, { cache: 'no-cache' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    manifest = parseGraphManifest(await res.json());
  } catch (e) {
    manifestError = (e as Error).message;
  }
  lap('manifest');

  let cacheNote: string | undefined;
  if (deps.db) {
    onProgress({ stage: 'cache', message: 'Reading the cached graph' });
    try {
      const cached = await loadGraph(deps.db, DEFAULT_GRAPH_ID, manifest?.contentSha256);
      lap('cacheRead');
      if (cached.status === 'hit') {
        onProgress({ stage: 'index', message: 'Indexing the cached graph' });
        const graph = new KnowledgeGraph(cached.packed);
        lap('buildCsr');
        const result = finish(graph, 'cache', undefined, timings, t0);
        onProgress({ stage: 'ready', message: 'Ready' });
        return { graph, result };
      }
      cacheNote = cached.reason;
      if (cached.status !== 'miss') await deleteGraph(deps.db, DEFAULT_GRAPH_ID);
    } catch (e) {
      cacheNote = `cache unreadable (${(e as Error).message})`;
    }
  }
  if (!manifest) throw new Error(`Cannot load the default graph: kg/manifest.json unavailable (${manifestError}) and no usable cached copy`);

  const url = new URL(`kg/${manifest.file}`, deps.baseUrl).href;
  const bytes = await fetchWithProgress(fetchImpl, url, (done, total) =>
    onProgress({ stage: 'download', done, total: total ?? manifest.bytes, message: 'Downloading the default graph' }),
  );
  lap('download');
  onProgress({ stage: 'decode', message: 'Decompressing and parsing' });
  const label = `kg/${manifest.file}`;
  const text = await graphFileText(bytes, label);
  const hash = await sha256Hex(text);
  if (hash !== manifest.contentSha256) {
    throw new Error(`${label}: content does not match kg/manifest.json (sha256 ${hash.slice(0, 12)}… ≠ ${manifest.contentSha256.slice(0, 12)}…); the download is incomplete or the files are from different builds`);
  }
  const file = parseGraphJson(text, label);
  lap('decode');
  onProgress({ stage: 'pack', message: 'Packing columns' });
  const packed = packGraph(file, hash, label);
  lap('pack');
  onProgress({ stage: 'index', message: 'Building adjacency (CSR)' });
  const graph = new KnowledgeGraph(packed);
  lap('buildCsr');
  if (deps.db) {
    onProgress({ stage: 'save', message: 'Caching the graph for the next visit' });
    try {
      await saveGraph(deps.db, { id: DEFAULT_GRAPH_ID, name: packed.header.name, origin: 'default', savedAt: new Date().toISOString(), header: packed.header }, packed);
    } catch (e) {
      cacheNote = `${cacheNote ? cacheNote + '; ' : ''}not cached: ${(e as Error).message}`;
    }
    lap('cacheWrite');
  }
  const result = finish(graph, 'network', cacheNote, timings, t0);
  onProgress({ stage: 'ready', message: 'Ready' });
  return { graph, result };
}

export function finish(graph: KnowledgeGraph, source: 'network' | 'cache', cacheNote: string | undefined, timings: Record<string, number>, t0: number): GraphLoadResult {
  timings.total = Math.round((performance.now() - t0) * 10) / 10;
  const nodeTypes: Record<string, number> = {};
  for (const t of graph.nodeTypes) nodeTypes[t] = 0;
  for (let i = 0; i < graph.nodeCount; i++) nodeTypes[graph.nodeType(i)]! += 1;
  const edgeTypes: Record<string, number> = {};
  for (const eg of graph.packed.edges) edgeTypes[graph.edgeTypes[eg.type]!.name] = eg.src.length;
  return {
    name: graph.header.name,
    source,
    ...(cacheNote ? { cacheNote } : {}),
    stats: { nodes: graph.nodeCount, edges: graph.edgeCount, nodeTypes, edgeTypes, danglingEdges: 0 },
    datasets: [...graph.datasets],
    timings,
    memoryBytes: graphMemoryBytes(graph),
  };
}
