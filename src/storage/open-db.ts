/** Opening the database runs every migration between the stored and current version. */
import { openDB, type IDBPDatabase } from 'idb';
import { DB_NAME, DB_VERSION, MIGRATIONS, type WorkbenchDB } from './schema';

export type WorkbenchDatabase = IDBPDatabase<WorkbenchDB>;

export async function openWorkbenchDb(name: string = DB_NAME): Promise<WorkbenchDatabase> {
  return openDB<WorkbenchDB>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let v = oldVersion; v < DB_VERSION; v++) MIGRATIONS[v]!(db, tx);
    },
    blocking(_current, _blocked, event) {
      // Another tab wants a newer schema: let it, this connection reopens on next use.
      (event.target as IDBDatabase).close();
    },
  });
}

/** Turn a storage exception into a message a user can act on. */
export function describeStorageError(e: unknown, what: string): Error {
  const err = e as DOMException;
  if (err?.name === 'QuotaExceededError') {
    return new Error(`Not enough browser storage to ${what}: free space (other sites' data, old graphs or runs) and try again. Nothing was written.`);
  }
  return new Error(`Could not ${what}: ${err?.message ?? String(e)}`);
}
