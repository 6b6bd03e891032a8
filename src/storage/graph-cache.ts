/**
 * Graph records in IndexedDB. A graph is saved as meta + columns in ONE transaction,
 * so a crash or a full disk leaves either the old record or the new one, never half;
 * and every load re-checks the checksum, so a damaged record is detected, dropped and
 * rebuilt instead of being shown.
 */
import { checkPacked, type PackedGraph } from '../graph/packed-graph';
import { describeStorageError, type WorkbenchDatabase } from './open-db';
import type { GraphMeta } from './schema';

export type CachedGraph = { status: 'hit'; meta: GraphMeta; packed: PackedGraph } | { status: 'miss' | 'stale' | 'corrupt'; reason: string };

export async function saveGraph(db: WorkbenchDatabase, meta: GraphMeta, packed: PackedGraph): Promise<void> {
  try {
    const tx = db.transaction(['graphs', 'graphData'], 'readwrite');
    await Promise.all([tx.objectStore('graphs').put(meta), tx.objectStore('graphData').put({ id: meta.id, packed }), tx.done]);
  } catch (e) {
    throw describeStorageError(e, `save graph "${meta.name}"`);
  }
}

export async function deleteGraph(db: WorkbenchDatabase, id: string): Promise<void> {
  const tx = db.transaction(['graphs', 'graphData'], 'readwrite');
  await Promise.all([tx.objectStore('graphs').delete(id), tx.objectStore('graphData').delete(id), tx.done]);
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
  const [meta, data] = await Promise.all([tx.objectStore('graphs').get(id), tx.objectStore('graphData').get(id), tx.done]);
  if (!meta && !data) return { status: 'miss', reason: 'no cached copy' };
  if (!meta || !data) return { status: 'corrupt', reason: 'cache record is incomplete (meta or columns missing)' };
  if (expectedSourceHash && meta.header.sourceHash !== expectedSourceHash) {
    return { status: 'stale', reason: 'the cached copy was built from an older graph file' };
  }
  let problem: string | null;
  try {
    problem = checkPacked(data.packed);
    if (!problem && data.packed.header.checksum !== meta.header.checksum) problem = 'meta and columns disagree';
  } catch (e) {
    problem = `unreadable record (${(e as Error).message})`;
  }
  if (problem) return { status: problem.startsWith('pack version') ? 'stale' : 'corrupt', reason: problem };
  return { status: 'hit', meta, packed: data.packed };
}
