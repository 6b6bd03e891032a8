/**
 * What the domain worker opens once and every service in it shares: the workbench
 * database. (The graph itself is held once, by graph-service.ts, and lent to synthesis
 * and trajectories through activeGraph().)
 */
import type { KnowledgeGraph } from '../src/graph/knowledge-graph';
import { openWorkbenchDb, type WorkbenchDatabase } from '../src/storage/open-db';
import { loadDefaultGraph } from './load-default-graph';

let db: Promise<WorkbenchDatabase | null> | null = null;

/** The database, or null where storage is unavailable (private mode, storage disabled). */
export function optionalDatabase(): Promise<WorkbenchDatabase | null> {
  db ??= openWorkbenchDb().catch(() => null);
  return db;
}

/** The database; rejects with a plain message where storage is unavailable. */
export async function workerDatabase(): Promise<WorkbenchDatabase> {
  const d = await optionalDatabase();
  if (!d) throw new Error('This browser does not let the app use IndexedDB (private window, or site storage blocked): nothing can be saved. Allow site data for this page and reload.');
  return d;
}

/** Closes the shared connection (a workspace import reopens it), so the next call opens a fresh one. */
export async function closeDatabase(): Promise<void> {
  const d = await db?.catch(() => null);
  d?.close();
  db = null;
}

/**
 * Let queued messages (graph queries from the UI) run: long jobs in the domain worker
 * call this between chunks, so the explorer stays responsive while they run.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

let inFlight: Promise<KnowledgeGraph> | null = null;

/**
 * For workers OTHER than the domain worker (the training worker's data preparation): the
 * default graph, read from the IndexedDB cache the domain worker fills (or the app files).
 * Concurrent callers share one load, but the graph is not kept afterwards — a long-lived
 * worker that kept it would hold a second copy of the graph beside the domain worker's
 * for as long as it lives. Inside the domain worker, use graph-service's activeGraph().
 */
export function defaultGraphOnce(): Promise<KnowledgeGraph> {
  if (!inFlight) {
    const baseUrl = new URL(import.meta.env.BASE_URL, self.location.origin).href;
    const p = optionalDatabase()
      .then((d) => loadDefaultGraph({ baseUrl, db: d }))
      .then((r) => r.graph);
    inFlight = p;
    const clear = () => {
      if (inFlight === p) inFlight = null;
    };
    p.then(clear, clear);
  }
  return inFlight;
}
