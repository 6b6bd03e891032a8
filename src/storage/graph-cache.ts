/**
 * Graph records in IndexedDB. A graph is saved as meta + columns in ONE transaction,
 * so a crash or a full disk leaves either the old record or the new one, never half;
 * and every load re-checks the checksum, so a damaged record is detected, dropped and
 * rebuilt instead of being shown.
 */
import { checkPacked, type PackedEdgeGroup, type PackedGraph } from '../graph/packed-graph';
import { describeStorageError, type WorkbenchDatabase } from './open-db';
import type { GraphMeta } from './schema';

export type CachedGraph = { status: 'hit'; meta: GraphMeta; packed: PackedGraph } | { status: 'miss' | 'stale' | 'corrupt'; reason: string };

/**
 * Edge columns beyond this many bytes are written as separate records (slices of each
 * group) in the same transaction: Chromium refuses a single value over 127 MiB ("The
 * serialized keys and/or value are too large"), which 1M nodes / 10M edges exceed.
 */
export const EDGE_PART_BYTES = 32 << 20;

const partPrefix = (id: string) => `${id}\u0000edges\u0000`;
const partRange = (id: string) => IDBKeyRange.bound(partPrefix(id), partPrefix(id) + '\uffff');

/** A part record holds one slice of one edge group; it borrows the graphData record shape. */
type PartRecord = { id: string; packed: { edges: [PackedEdgeGroup] } };

function splitEdges(id: string, packed: PackedGraph, partBytes: number): { main: PackedGraph; parts: PartRecord[] } {
  const parts: PartRecord[] = [];
  // Small graphs stay one record; otherwise every edge group moves out, so the main
  // record holds only the node columns.
  if (packed.edges.reduce((b, eg) => b + eg.src.length * 12, 0) <= partBytes) return { main: packed, parts };
  const edges = packed.edges.map((eg, g) => {
    const m = eg.src.length;
    if (m === 0) return eg;
    const per = Math.max(1, Math.floor(partBytes / 12));
    const keys: string[] = [];
    for (let at = 0; at < m; at += per) {
      const key = `${partPrefix(id)}${g}\u0000${at}`;
      keys.push(key);
      const end = Math.min(m, at + per);
      parts.push({ id: key, packed: { edges: [{ type: eg.type, src: eg.src.slice(at, end), dst: eg.dst.slice(at, end), datasets: eg.datasets.slice(at, end) }] } });
    }
    return { type: eg.type, src: new Uint32Array(0), dst: new Uint32Array(0), datasets: new Uint32Array(0), parts: keys };
  });
  return { main: { ...packed, edges }, parts };
}

export async function saveGraph(db: WorkbenchDatabase, meta: GraphMeta, packed: PackedGraph, partBytes = EDGE_PART_BYTES): Promise<void> {
  try {
    const { main, parts } = splitEdges(meta.id, packed, partBytes);
    const tx = db.transaction(['graphs', 'graphData'], 'readwrite');
    const data = tx.objectStore('graphData');
    try {
      await Promise.all([
        tx.objectStore('graphs').put(meta),
        data.delete(partRange(meta.id)).then(() => Promise.all([data.put({ id: meta.id, packed: main }), ...parts.map((p) => data.put(p as unknown as { id: string; packed: PackedGraph }))])),
      ]);
    } catch (e) {
      // A put that throws does not abort the transaction by itself: abort, so the meta
      // record is never committed without its columns.
      tx.abort();
      await tx.done.catch(() => {});
      throw e;
    }
    await tx.done;
  } catch (e) {
    throw describeStorageError(e, `save graph "${meta.name}"`);
  }
}

export async function deleteGraph(db: WorkbenchDatabase, id: string): Promise<void> {
  const tx = db.transaction(['graphs', 'graphData'], 'readwrite');
  await Promise.all([tx.objectStore('graphs').delete(id), tx.objectStore('graphData').delete(id), tx.objectStore('graphData').delete(partRange(id)), tx.done]);
}

/** Puts split edge groups back together; null when a part is missing. */
async function joinEdges(get: (key: string) => Promise<unknown>, packed: PackedGraph): Promise<PackedGraph | null> {
  if (!packed?.edges?.some((eg) => eg.parts)) return packed;
  const edges: PackedEdgeGroup[] = [];
  for (const eg of packed.edges) {
    if (!eg.parts) {
      edges.push(eg);
      continue;
    }
    const slices = (await Promise.all(eg.parts.map(get))) as (PartRecord | undefined)[];
    if (slices.some((s) => !s?.packed?.edges?.[0])) return null;
    const cols = slices.map((s) => s!.packed.edges[0]);
    const concat = (pick: (g: PackedEdgeGroup) => Uint32Array) => {
      const out = new Uint32Array(cols.reduce((n, c) => n + pick(c).length, 0));
      let at = 0;
      for (const c of cols) {
        out.set(pick(c), at);
        at += pick(c).length;
      }
      return out;
    };
    edges.push({ type: eg.type, src: concat((c) => c.src), dst: concat((c) => c.dst), datasets: concat((c) => c.datasets) });
  }
  return { ...packed, edges };
}

export async function listGraphs(db: WorkbenchDatabase): Promise<GraphMeta[]> {
  return db.getAll('graphs');
}

/**
 * Load a cached graph if it was built from `expectedSourceHash` (when given) and is whole.
 * Anything else reports why, so the caller can rebuild and say so.
 */
export async function loadGraph(db: WorkbenchDatabase, id: string, expectedSourceHash?: string): Promise<CachedGraph> {
  const tx = db.transaction(['graphs', 'graphData'], 'readonly');
  const store = tx.objectStore('graphData');
  // parts are read inside the same transaction, so a concurrent save cannot mix versions
  const [meta, data] = await Promise.all([
    tx.objectStore('graphs').get(id),
    store.get(id).then(async (d) => (d ? { packed: await joinEdges((k) => store.get(k), d.packed) } : undefined)),
    tx.done,
  ]);
  if (!meta && !data) return { status: 'miss', reason: 'no cached copy' };
  if (!meta || !data) return { status: 'corrupt', reason: 'cache record is incomplete (meta or columns missing)' };
  const packed = data.packed;
  if (!packed) return { status: 'corrupt', reason: 'cache record is incomplete (an edge part is missing)' };
  if (expectedSourceHash && meta.header.sourceHash !== expectedSourceHash) {
    return { status: 'stale', reason: 'the cached copy was built from an older graph file' };
  }
  let problem: string | null;
  try {
    problem = checkPacked(packed);
    if (!problem && packed.header.checksum !== meta.header.checksum) problem = 'meta and columns disagree';
  } catch (e) {
    problem = `unreadable record (${(e as Error).message})`;
  }
  if (problem) return { status: problem.startsWith('pack version') ? 'stale' : 'corrupt', reason: problem };
  return { status: 'hit', meta, packed };
}

/** The graph the user chose last ("default" when none): kept in settings so a reload reopens it. */
const ACTIVE_GRAPH_KEY = 'activeGraph';

export async function getActiveGraphId(db: WorkbenchDatabase): Promise<string | null> {
  const v = await db.get('settings', ACTIVE_GRAPH_KEY);
  return typeof v === 'string' ? v : null;
}

export async function setActiveGraphId(db: WorkbenchDatabase, id: string): Promise<void> {
  await db.put('settings', id, ACTIVE_GRAPH_KEY);
}

/** A fresh id for an imported graph: readable, and unique even for two imports of one file. */
export function importedGraphId(name: string, now = Date.now()): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'graph';
  return `import-${slug}-${now.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}
