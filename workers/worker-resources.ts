/**
 * What each domain worker (synthesis, trajectories, …) opens once and shares across
 * calls: the workbench database and its own copy of the default graph, loaded from the
 * IndexedDB cache the graph worker fills (or from the app files if it is not there yet).
 */
import type { KnowledgeGraph } from '../src/graph/knowledge-graph';
import { openWorkbenchDb, type WorkbenchDatabase } from '../src/storage/open-db';
import { loadDefaultGraph } from './load-default-graph';

let db: Promise<WorkbenchDatabase> | null = null;
let graph: Promise<KnowledgeGraph> | null = null;

export function workerDatabase(): Promise<WorkbenchDatabase> {
  db ??= openWorkbenchDb();
  return db;
}

export function defaultGraphOnce(): Promise<KnowledgeGraph> {
  if (!graph) {
    const baseUrl = new URL(import.meta.env.BASE_URL, self.location.origin).href;
    graph = workerDatabase()
      .catch(() => null) // storage unavailable: load from the app files each time
      .then((d) => loadDefaultGraph({ baseUrl, db: d }))
      .then((r) => r.graph);
    graph.catch(() => (graph = null));
  }
  return graph;
}
