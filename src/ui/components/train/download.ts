/**
 * Saving what the Train view exports: one file as a download, several as a .zip (fflate, stored
 * uncompressed: safetensors do not compress) or, where the browser lets a page write to a folder
 * the user picks (File System Access), straight into that folder.
 */
import { zipSync } from 'fflate';

export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export function downloadText(name: string, text: string, type = 'text/plain'): void {
  downloadBlob(name, new Blob([text], { type: `${type};charset=utf-8` }));
}

export function zipFiles(files: ReadonlyArray<{ name: string; bytes: Uint8Array }>, folder: string): Uint8Array {
  const tree: Record<string, [Uint8Array, { level: 0 }]> = {};
  for (const f of files) tree[`${folder}/${f.name}`] = [f.bytes, { level: 0 }];
  return zipSync(tree);
}

export function downloadZip(folder: string, files: ReadonlyArray<{ name: string; bytes: Uint8Array }>): void {
  downloadBlob(`${folder}.zip`, new Blob([zipFiles(files, folder) as BlobPart], { type: 'application/zip' }));
}

interface DirectoryPicker {
  showDirectoryPicker?: (o?: { mode?: 'readwrite' }) => Promise<FileSystemDirectoryHandle>;
}

export const canWriteFolder = () => typeof (window as unknown as DirectoryPicker).showDirectoryPicker === 'function';

/** write the files into a folder the user picks (a sub-folder named `folder`); false when the user cancelled */
export async function saveToFolder(folder: string, files: ReadonlyArray<{ name: string; bytes: Uint8Array }>): Promise<boolean> {
  const pick = (window as unknown as DirectoryPicker).showDirectoryPicker;
  if (!pick) throw new Error('this browser cannot write to a folder: download the .zip instead');
  let root: FileSystemDirectoryHandle;
  try {
    root = await pick({ mode: 'readwrite' });
  } catch (e) {
    if ((e as DOMException).name === 'AbortError') return false;
    throw e;
  }
  const top = await root.getDirectoryHandle(folder, { create: true });
  for (const f of files) {
    // names may hold sub-folders ("data/train.jsonl")
    const parts = f.name.split('/');
    let dir = top;
    for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create: true });
    const w = await (await dir.getFileHandle(parts.at(-1)!, { create: true })).createWritable();
    await w.write(f.bytes as unknown as BufferSource);
    await w.close();
  }
  return true;
}
