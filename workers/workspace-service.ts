/// <reference lib="webworker" />
/**
 * The workspace service of the domain worker: whole-workspace export / import and the
 * Storage view's per-item usage and delete. It lives beside the graph service so an
 * import or a deleted graph can reset the one loaded graph.
 */
import { deleteGraph } from '../src/storage/graph-cache';
import { deleteStorageItem, graphIdOfKey, storageUsage } from '../src/storage/storage-usage';
import { exportWorkspace, importWorkspace } from '../src/storage/workspace';
import { graphApi, loadedGraphId, resetActiveGraph } from './graph-service';
import { DEFAULT_GRAPH_ID } from './load-default-graph';
import { workerDatabase as database } from './worker-resources';
import type { WorkspaceApi } from './workspace-api';

const BUILT_IN_NOTE = 'the built-in graph\'s cached copy (rebuilt from the app files on first use)';

export const workspaceApi: WorkspaceApi = {
  async exportWorkspace({ includeBuiltInGraph }, onProgress) {
    const d = await database();
    const out = await exportWorkspace(d, {
      ...(includeBuiltInGraph ? {} : { exclude: (store: string, key: IDBValidKey) => (store === 'graphs' || store === 'graphData') && graphIdOfKey(key) === DEFAULT_GRAPH_ID, excludedNote: [BUILT_IN_NOTE] }),
      ...(onProgress ? { onProgress: (p) => void onProgress(p) } : {}),
    });
    const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
    return { file: out.file, name: `fleming-workspace-${stamp}.flmws`, records: out.records, bytes: out.bytes, excluded: includeBuiltInGraph ? [] : [BUILT_IN_NOTE] };
  },

  async importWorkspace(file, mode, onProgress) {
    const d = await database();
    const result = await importWorkspace(d, file, { mode, ...(onProgress ? { onProgress: (p) => void onProgress(p) } : {}) });
    // the library and the active-graph setting may have changed: reopen on next use
    resetActiveGraph();
    return result;
  },

  async storageUsage() {
    return storageUsage(await database());
  },

  async deleteItem(itemId) {
    const d = await database();
    if (itemId.startsWith('graph:')) {
      const id = itemId.slice('graph:'.length);
      const before = loadedGraphId();
      if (id === DEFAULT_GRAPH_ID) {
        // only the cache: the graph itself ships with the app
        await deleteGraph(d, DEFAULT_GRAPH_ID);
        return { deleted: { graphs: 1 }, activeGraphChanged: false };
      }
      await graphApi.deleteGraph(id);
      return { deleted: { graphs: 1 }, activeGraphChanged: before === id };
    }
    return { deleted: await deleteStorageItem(d, itemId), activeGraphChanged: false };
  },
};
