/**
 * Checkpoint folders on disk for the Node CLIs (train, logits, eval): read every file of a
 * folder into the map loadCheckpointFolder takes, and write exportCheckpointFolder's map out.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointFiles } from './checkpoint';

/** Every regular file directly inside `dir` (sub-folders are not read). */
export function readCheckpointDir(dir: string): CheckpointFiles {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new Error(`cannot read checkpoint folder ${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (e as Error).message}`);
  }
  const files: CheckpointFiles = new Map();
  for (const name of names.sort()) {
    const p = join(dir, name);
    if (!statSync(p).isFile()) continue;
    const buf = readFileSync(p);
    files.set(name, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
  }
  return files;
}

/**
 * Write the files into `dir` (created if needed). Each file is written beside its final name
 * and renamed into place, so an interrupted write never leaves a half file under the real name.
 */
export function writeCheckpointDir(dir: string, files: ReadonlyMap<string, Uint8Array>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of files) {
    if (name.includes('/') || name.includes('\\') || name === '..' || name === '.') throw new Error(`checkpoint file name ${JSON.stringify(name)} must be a plain file name`);
    const tmp = join(dir, `.${name}.partial`);
    writeFileSync(tmp, bytes);
    renameSync(tmp, join(dir, name));
  }
}
