/**
 * Export and import of a whole workspace: every object store of the schema — graphs,
 * questions with their history, trajectories, runs, metrics, checkpoints and whatever
 * stores later migrations add — read generically, so a new store is in the file without
 * touching this code.
 *
 * Export reads all stores in ONE read-only transaction (a consistent snapshot) into a
 * workspace file (workspace-format.ts). Import writes in ONE read-write transaction kept
 * open while the file streams in: a damaged or cut-off file, an unknown store or a full
 * disk aborts it, and the database is exactly as it was.
 */
import { unwrap } from 'idb';
import { DB_VERSION } from './schema';
import type { WorkbenchDatabase } from './open-db';
import { describeStorageError } from './open-db';
import {
  readWorkspace,
  WORKSPACE_FORMAT,
  WORKSPACE_FORMAT_VERSION,
  WorkspaceFileError,
  WorkspaceWriter,
  type StoreSchema,
  type WorkspaceHeader,
  type WorkspaceRecord,
} from './workspace-format';

export const APP_ID = 'fleming-workbench 0.1.0';

/**
 * Record migrations, keyed by the schema version they upgrade FROM (v → v+1). A record
 * read from an older file passes through every step up to DB_VERSION; a step returns the
 * record (possibly moved to another store or reshaped) or null to drop it. Versions 1–3
 * only added stores, so no step transforms records yet; a schema change that reshapes
 * records adds its step here beside its entry in MIGRATIONS.
 */
export type RecordMigration = (r: WorkspaceRecord) => WorkspaceRecord | null;
export const RECORD_MIGRATIONS: Readonly<Record<number, RecordMigration>> = {};

export interface ExportProgress {
  store: string;
  records: number;
  totalRecords: number;
  bytes: number;
}

export interface ExportOptions {
  /** leave a record out (e.g. the built-in graph's cache, rebuilt from the app files) */
  exclude?: (store: string, key: IDBValidKey, value: unknown) => boolean;
  /** what `exclude` leaves out, in words, recorded in the file header */
  excludedNote?: string[];
  onProgress?: (p: ExportProgress) => void;
}

export interface ExportResult {
  file: Blob;
  records: Record<string, number>;
  bytes: number;
}

function storeSchemas(tx: IDBTransaction): StoreSchema[] {
  return [...tx.objectStoreNames].map((name) => {
    const s = tx.objectStore(name);
    return {
      name,
      keyPath: s.keyPath as string | string[] | null,
      autoIncrement: s.autoIncrement,
      indexes: [...s.indexNames].map((i) => {
        const ix = s.index(i);
        return { name: i, keyPath: ix.keyPath as string | string[], unique: ix.unique, multiEntry: ix.multiEntry };
      }),
    };
  });
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export async function exportWorkspace(db: WorkbenchDatabase, opts: ExportOptions = {}): Promise<ExportResult> {
  const raw = unwrap(db);
  const names = [...raw.objectStoreNames];
  const tx = raw.transaction(names, 'readonly');
  const header: WorkspaceHeader = {
    format: WORKSPACE_FORMAT,
    formatVersion: WORKSPACE_FORMAT_VERSION,
    schemaVersion: raw.version,
    createdAt: new Date().toISOString(),
    app: APP_ID,
    stores: storeSchemas(tx),
    ...(opts.excludedNote?.length ? { excluded: opts.excludedNote } : {}),
  };
  const writer = new WorkspaceWriter(header);
  // Only IndexedDB requests are awaited inside the transaction: everything else
  // (encoding, checksums) is synchronous, so the snapshot stays one transaction.
  const totals = await Promise.all(names.map((n) => request(tx.objectStore(n).count())));
  const totalRecords = totals.reduce((a, b) => a + b, 0);
  let done = 0;
  for (const name of names) {
    const store = tx.objectStore(name);
    const outOfLine = store.keyPath === null;
    await new Promise<void>((resolve, reject) => {
      const cur = store.openCursor();
      cur.onerror = () => reject(cur.error);
      cur.onsuccess = () => {
        const c = cur.result;
        if (!c) return resolve();
        try {
          if (!opts.exclude?.(name, c.primaryKey, c.value)) writer.add(name, c.value, outOfLine ? c.primaryKey : undefined);
        } catch (e) {
          tx.abort();
          return reject(e);
        }
        if (++done % 500 === 0) opts.onProgress?.({ store: name, records: done, totalRecords, bytes: writer.bytes });
        c.continue();
      };
    });
  }
  opts.onProgress?.({ store: '', records: done, totalRecords, bytes: writer.bytes });
  const file = await writer.finish();
  return { file, records: { ...writer.recordCounts }, bytes: file.size };
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  records: number;
}

export interface ImportOptions {
  /** replace: the workspace becomes exactly the file's; merge: records are added, same keys overwritten */
  mode: 'replace' | 'merge';
  onProgress?: (p: ImportProgress) => void;
  /** for tests: the migration steps to apply (defaults to RECORD_MIGRATIONS) */
  migrations?: Readonly<Record<number, RecordMigration>>;
}

export interface ImportResult {
  records: Record<string, number>;
  fromSchemaVersion: number;
  migrated: boolean;
  createdAt: string;
  excluded: string[];
}

function countingStream(file: Blob, onBytes: (n: number) => void): ReadableStream<Uint8Array> {
  let n = 0;
  return file.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        n += chunk.byteLength;
        onBytes(n);
        ctl.enqueue(chunk);
      },
    }),
  );
}

/**
 * Import a workspace file into `db` in one transaction. Throws WorkspaceFileError (the
 * file is damaged, cut off, from a newer app, or names an unknown store) or a storage
 * error (a full disk); in every case nothing was changed.
 */
export async function importWorkspace(db: WorkbenchDatabase, file: Blob, opts: ImportOptions): Promise<ImportResult> {
  const raw = unwrap(db);
  const migrations = opts.migrations ?? RECORD_MIGRATIONS;
  let bytesRead = 0;
  const it = readWorkspace(countingStream(file, (n) => (bytesRead = n)));
  const first = await it.next();
  if (first.done || !('header' in first.value)) throw new WorkspaceFileError('The file has no header.');
  const header = first.value.header;
  if (header.schemaVersion > raw.version) {
    await it.return(undefined as never);
    throw new WorkspaceFileError(
      `The file was written by a newer version of the app (database schema v${header.schemaVersion}; this app has v${raw.version}). Update the app (reload the page) to import it; nothing was changed.`,
    );
  }
  const names = [...raw.objectStoreNames];
  const migrate = (r: WorkspaceRecord): WorkspaceRecord | null => {
    let cur: WorkspaceRecord | null = r;
    for (let v = header.schemaVersion; v < raw.version && cur; v++) cur = migrations[v] ? migrations[v]!(cur) : cur;
    return cur;
  };
  const records: Record<string, number> = {};
  let count = 0;
  let lastReport = 0;

  // The source of writes: decoded, migrated records, checked against the schema here.
  async function* ops(): AsyncGenerator<WorkspaceRecord> {
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      if (!('record' in n.value)) continue;
      const r = migrate(n.value.record);
      if (!r) continue;
      if (!raw.objectStoreNames.contains(r.store)) {
        throw new WorkspaceFileError(`The file holds records of a store "${r.store}" that this app does not have (file schema v${header.schemaVersion}, app v${raw.version}): nothing was changed.`);
      }
      records[r.store] = (records[r.store] ?? 0) + 1;
      count++;
      const now = performance.now();
      if (now - lastReport > 200) {
        lastReport = now;
        opts.onProgress?.({ bytesRead, totalBytes: file.size, records: count });
      }
      yield r;
    }
  }

  try {
    await writeInOneTransaction(raw, names, ops(), opts.mode === 'replace');
  } catch (e) {
    await it.return(undefined as never).catch(() => {});
    if (e instanceof WorkspaceFileError) throw e;
    if (e instanceof Error && !(e instanceof DOMException)) throw e;
    throw describeStorageError(e, 'import the workspace');
  }
  opts.onProgress?.({ bytesRead: file.size, totalBytes: file.size, records: count });
  return { records, fromSchemaVersion: header.schemaVersion, migrated: header.schemaVersion < raw.version, createdAt: header.createdAt, excluded: header.excluded ?? [] };
}

const KEEP_ALIVE_KEY = '\uffff fleming keep-alive';
/** records and bytes read ahead of the transaction (bounded, so a large file never sits in memory whole) */
const READ_AHEAD = 64;
const READ_AHEAD_BYTES = 48 << 20;

/**
 * Write everything `source` yields in ONE read-write transaction. An IndexedDB transaction
 * commits as soon as no request is pending, and may only be given requests from inside its
 * own callbacks — but the file arrives asynchronously. So a cheap read request is kept in
 * flight while waiting for the next records, and each of its callbacks hands over what
 * has arrived. When the source throws, the transaction is aborted: nothing lands.
 */
export function writeInOneTransaction(db: IDBDatabase, storeNames: string[], source: AsyncIterator<WorkspaceRecord>, clearFirst: boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const tx = db.transaction(storeNames, 'readwrite');
    const queue: WorkspaceRecord[] = [];
    let queuedBytes = 0;
    let sourceDone = false;
    let failure: unknown = null;
    let pulling = false;
    let finished = false;

    const pull = () => {
      if (pulling || sourceDone || failure || queue.length >= READ_AHEAD || queuedBytes >= READ_AHEAD_BYTES) return;
      pulling = true;
      source.next().then(
        (r) => {
          pulling = false;
          if (r.done) sourceDone = true;
          else {
            queue.push(r.value);
            queuedBytes += r.value.size ?? 0;
          }
          pull();
        },
        (e) => {
          pulling = false;
          failure = e;
        },
      );
    };

    const tick = () => {
      if (finished) return;
      if (failure) {
        finished = true;
        try {
          tx.abort();
        } catch {
          /* already aborting */
        }
        return;
      }
      try {
        while (queue.length) {
          const r = queue.shift()!;
          queuedBytes -= r.size ?? 0;
          const store = tx.objectStore(r.store);
          const req = r.key !== undefined && store.keyPath === null ? store.put(r.value, r.key) : store.put(r.value);
          // a failing put aborts the transaction (the error's default action); say which record
          req.onerror = () => {
            if (req.error?.name !== 'QuotaExceededError') failure ??= new WorkspaceFileError(`A ${r.store} record could not be stored (${req.error?.message ?? 'unknown error'}): nothing was changed.`);
          };
        }
      } catch (e) {
        failure = e instanceof DOMException && e.name === 'DataError' ? new WorkspaceFileError(`A record could not be stored (${e.message}): the file does not fit this app's schema; nothing was changed.`) : e;
        return tick();
      }
      pull();
      if (sourceDone && queue.length === 0 && !pulling) return; // no request left: the transaction commits
      const keepAlive = tx.objectStore(storeNames[0]!).get(KEEP_ALIVE_KEY);
      keepAlive.onsuccess = tick;
    };

    tx.oncomplete = () => (failure ? reject(failure) : resolve());
    tx.onabort = () => reject(failure ?? tx.error ?? new Error('The import was aborted'));
    if (clearFirst) for (const n of storeNames) tx.objectStore(n).clear();
    tick();
  });
}
