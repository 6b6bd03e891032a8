/** The typed contract of the workspace service (in the domain worker): export, import, storage use, delete. */
import type { StorageUsage } from '../src/storage/storage-usage';
import type { ExportProgress, ImportProgress, ImportResult } from '../src/storage/workspace';

export interface WorkspaceExport {
  /** the workspace file (a Blob: the browser keeps large ones out of the JS heap) */
  file: Blob;
  name: string;
  records: Record<string, number>;
  bytes: number;
  /** what was left out, in words */
  excluded: string[];
}

export interface WorkspaceApi {
  /**
   * Every record of every store as one workspace file. The built-in graph's cache is left
   * out unless `includeBuiltInGraph` (it is rebuilt from the app files on first use).
   */
  exportWorkspace(opts: { includeBuiltInGraph: boolean }, onProgress?: (p: ExportProgress) => void): Promise<WorkspaceExport>;
  /**
   * Import a workspace file in one transaction (replace: the workspace becomes the file's;
   * merge: add, same keys overwritten). A damaged file is refused with a message naming
   * where and why, and nothing changes. The active graph is reopened afterwards.
   */
  importWorkspace(file: Blob, mode: 'replace' | 'merge', onProgress?: (p: ImportProgress) => void): Promise<ImportResult>;
  storageUsage(): Promise<StorageUsage>;
  /** delete one item (see StorageItem.id); true when the active graph changed as a result */
  deleteItem(itemId: string): Promise<{ deleted: Record<string, number>; activeGraphChanged: boolean }>;
}
