/**
 * What an importer reads: a Blob with a name. A File chosen in the UI is one; the CLI
 * gets one from fs.openAsBlob. Both stream, so a file larger than memory is never
 * read whole.
 */
export interface ImportSource {
  /** shown in messages: the file name or path */
  name: string;
  blob: Blob;
}

export type ImportFormat = 'hetionet' | 'primekg' | 'triples';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['hetionet', 'primekg', 'triples'];

export interface ImportProgress {
  stage: 'reading' | 'building';
  /** bytes of the (possibly compressed) file read so far, and its size */
  bytesRead: number;
  totalBytes: number;
  /** records parsed so far (rows, or nodes + edges) */
  rows: number;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** display name of the new graph (default: the file name) */
  graphName?: string;
}

/** Thrown when the user cancels: not an input problem, so it carries no location. */
export class ImportCancelledError extends Error {
  constructor(file: string) {
    super(`${file}: import cancelled`);
    this.name = 'ImportCancelledError';
  }
}
