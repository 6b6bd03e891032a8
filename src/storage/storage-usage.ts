/**
 * What takes space in the workbench database, per item a user recognises — a graph, a
 * question set, a teacher's trajectories, a training run — and deleting one item (every
 * record of it, across stores, in one transaction). Works over every object store of the
 * schema: a store this module has no rule for is one item of its own, so new stores show
 * up without changes here.
 */
import { unwrap } from 'idb';
import { describeStorageError, type WorkbenchDatabase } from './open-db';

export type StorageItemKind = 'graph' | 'questions' | 'trajectories' | 'run' | 'settings' | 'store';

export interface StorageItem {
  /** stable id of the item, e.g. "graph:import-hetionet-…", "questions:synthetic:default", "run:abc" */
  id: string;
  kind: StorageItemKind;
  label: string;
  records: number;
  /** approximate bytes: binary payloads exactly, text and numbers as their serialised size */
  bytes: number;
  /** bytes per object store */
  perStore: Record<string, number>;
  deletable: boolean;
}

export interface StoreUsage {
  name: string;
  records: number;
  bytes: number;
}

export interface StorageUsage {
  items: StorageItem[];
  stores: StoreUsage[];
}

/** The graph id a graphs / graphData key belongs to (edge slices are keyed "id\0edges\0…"). */
export function graphIdOfKey(key: IDBValidKey): string {
  const k = String(key);
  const cut = k.indexOf('\u0000');
  return cut < 0 ? k : k.slice(0, cut);
}

/** Which item a record belongs to. */
export function itemOf(store: string, key: IDBValidKey, value: unknown): { id: string; kind: StorageItemKind } {
  const v = (value ?? {}) as Record<string, unknown>;
  if (store === 'graphs' || store === 'graphData') return { id: `graph:${graphIdOfKey(key)}`, kind: 'graph' };
  if (store === 'questions') {
    const prov = v.provenance as { graph?: string } | undefined;
    return { id: v.source === 'synthetic' ? `questions:synthetic:${prov?.graph ?? 'unknown'}` : `questions:${String(v.source ?? 'unknown')}`, kind: 'questions' };
  }
  if (store === 'trajectories') return { id: `trajectories:${String(v.teacher ?? 'unknown')}`, kind: 'trajectories' };
  if (store === 'runs' && typeof v.id === 'string') return { id: `run:${v.id}`, kind: 'run' };
  if (typeof v.runId === 'string') return { id: `run:${v.runId}`, kind: 'run' };
  if (store === 'settings') return { id: 'settings', kind: 'settings' };
  return { id: `store:${store}`, kind: 'store' };
}

/** Approximate serialised size of a structured-clone value (binary payloads exact). */
export function approxBytes(v: unknown): number {
  if (v === null || v === undefined) return 4;
  switch (typeof v) {
    case 'string':
      return v.length + 2;
    case 'number':
      return 8;
    case 'boolean':
      return 4;
    case 'bigint':
      return 8;
    case 'object':
      break;
    default:
      return 0;
  }
  if (v instanceof ArrayBuffer) return v.byteLength;
  if (ArrayBuffer.isView(v)) return v.byteLength;
  if (typeof Blob !== 'undefined' && v instanceof Blob) return v.size;
  if (v instanceof Date) return 8;
  if (Array.isArray(v)) {
    let n = 2;
    for (const x of v) n += approxBytes(x) + 1;
    return n;
  }
  if (v instanceof Map) {
    let n = 2;
    for (const [k, x] of v) n += approxBytes(k) + approxBytes(x);
    return n;
  }
  if (v instanceof Set) {
    let n = 2;
    for (const x of v) n += approxBytes(x);
    return n;
  }
  let n = 2;
  for (const [k, x] of Object.entries(v)) n += k.length + 3 + approxBytes(x);
  return n;
}

const cursorEach = (store: IDBObjectStore, each: (c: IDBCursorWithValue) => void): Promise<void> =>
  new Promise((resolve, reject) => {
    const r = store.openCursor();
    r.onerror = () => reject(r.error);
    r.onsuccess = () => {
      const c = r.result;
      if (!c) return resolve();
      each(c);
      c.continue();
    };
  });

/** Reads every record once (in a read-only transaction) and sums sizes per item and per store. */
export async function storageUsage(db: WorkbenchDatabase): Promise<StorageUsage> {
  const raw = unwrap(db);
  const names = [...raw.objectStoreNames];
  const tx = raw.transaction(names, 'readonly');
  const items = new Map<string, StorageItem>();
  const stores: StoreUsage[] = [];
  const graphNames = new Map<string, string>();
  const runNames = new Map<string, string>();
  for (const name of names) {
    const su: StoreUsage = { name, records: 0, bytes: 0 };
    await cursorEach(tx.objectStore(name), (c) => {
      const bytes = approxBytes(c.primaryKey) + approxBytes(c.value);
      su.records++;
      su.bytes += bytes;
      const { id, kind } = itemOf(name, c.primaryKey, c.value);
      let it = items.get(id);
      if (!it) items.set(id, (it = { id, kind, label: id, records: 0, bytes: 0, perStore: {}, deletable: kind !== 'settings' }));
      it.records++;
      it.bytes += bytes;
      it.perStore[name] = (it.perStore[name] ?? 0) + bytes;
      const v = c.value as Record<string, unknown>;
      if (name === 'graphs' && typeof v.name === 'string') graphNames.set(graphIdOfKey(c.primaryKey), v.name);
      if (name === 'runs' && typeof v.id === 'string' && typeof v.name === 'string') runNames.set(v.id, v.name);
    });
    stores.push(su);
  }
  for (const it of items.values()) it.label = labelOf(it, graphNames, runNames);
  return { items: [...items.values()].sort((a, b) => b.bytes - a.bytes), stores };
}

function labelOf(it: StorageItem, graphNames: Map<string, string>, runNames: Map<string, string>): string {
  const rest = it.id.slice(it.id.indexOf(':') + 1);
  switch (it.kind) {
    case 'graph':
      return rest === 'default' ? 'Built-in medical graph (cached copy; rebuilt from the app files when deleted)' : `Graph "${graphNames.get(rest) ?? rest}"`;
    case 'questions': {
      if (rest.startsWith('synthetic:')) {
        const g = rest.slice('synthetic:'.length);
        return `Questions synthesised from ${g === 'default' ? 'the built-in graph' : `graph "${graphNames.get(g) ?? g}"`}`;
      }
      return `Imported ${rest} questions`;
    }
    case 'trajectories':
      return `Trajectories written by ${rest}`;
    case 'run':
      return `Training run "${runNames.get(rest) ?? rest}"`;
    case 'settings':
      return 'Settings (active graph, preferences)';
    default:
      return `Store "${rest}"`;
  }
}

/**
 * Deletes every record of one item, across stores, in one transaction. Deleting questions
 * also deletes their trajectories (they would otherwise point at nothing). Returns the
 * records deleted per store.
 */
export async function deleteStorageItem(db: WorkbenchDatabase, itemId: string): Promise<Record<string, number>> {
  if (itemId === 'settings') throw new Error('Settings cannot be deleted here');
  const raw = unwrap(db);
  const names = [...raw.objectStoreNames];
  // trajectories last: they follow the questions deleted before them
  const order = [...names.filter((n) => n !== 'trajectories'), ...names.filter((n) => n === 'trajectories')];
  const deleted: Record<string, number> = {};
  const questionIds = new Set<string>();
  try {
    const tx = raw.transaction(names, 'readwrite');
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new Error('aborted'));
    });
    for (const name of order) {
      await cursorEach(tx.objectStore(name), (c) => {
        const mine = itemOf(name, c.primaryKey, c.value).id === itemId;
        const orphan = name === 'trajectories' && questionIds.has(String((c.value as { questionId?: unknown }).questionId));
        if (!mine && !orphan) return;
        if (name === 'questions') questionIds.add(String((c.value as { id?: unknown }).id));
        c.delete();
        deleted[name] = (deleted[name] ?? 0) + 1;
      });
    }
    await done;
    return deleted;
  } catch (e) {
    throw describeStorageError(e, 'delete the item');
  }
}
