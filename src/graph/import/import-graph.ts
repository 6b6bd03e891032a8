/**
 * One entry point for every import, used by the graph worker (a File from the UI) and
 * the CLI (a path): stream → decompress → parse → build → PackedGraph. It returns the
 * packed graph and writes nothing; saving is the caller's step, so a rejected or
 * cancelled import leaves storage untouched.
 */
import type { PackedGraph } from '../packed-graph';
import type { DatasetInfo } from '../format';
import { GraphBuilder } from './graph-builder';
import { HetionetReader } from './hetionet';
import type { ImportFormat, ImportOptions, ImportSource } from './import-source';
import { ImportCancelledError } from './import-source';
import { primekgReader } from './primekg';
import { readText, type TextChunkSink } from './read-text';
import { triplesReader } from './triples';

const FORMAT_NAMES: Record<ImportFormat, string> = {
  hetionet: 'Hetionet JSON',
  primekg: 'PrimeKG kg.csv',
  triples: 'triples TSV/CSV',
};

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

export async function importGraph(src: ImportSource, format: ImportFormat, opts: ImportOptions = {}): Promise<PackedGraph> {
  const file = baseName(src.name);
  const base: DatasetInfo = {
    id: 'import',
    name: `${file} (${FORMAT_NAMES[format]})`,
    licence: 'as published by the source of the imported file',
    attribution: `Imported from ${file}; credit the creators of that file as its licence asks.`,
  };
  const b = new GraphBuilder(src.name, base);
  const sink: TextChunkSink = format === 'hetionet' ? new HetionetReader(b) : format === 'primekg' ? primekgReader(b) : triplesReader(b);
  await readText(src, sink, opts);
  if (opts.signal?.aborted) throw new ImportCancelledError(src.name);
  opts.onProgress?.({ stage: 'building', bytesRead: src.blob.size, totalBytes: src.blob.size, rows: sink.rows });
  const lastModified = (src.blob as Partial<File>).lastModified ?? 0;
  return b.build(opts.graphName?.trim() || file, `${FORMAT_NAMES[format]} import of ${file}`, `import:${format}:${file}:${src.blob.size}:${lastModified}`);
}

/** The `kg stats` summary of a packed graph. */
export function packedStats(p: PackedGraph): { nodes: number; edges: number; nodeTypes: Record<string, number>; edgeTypes: Record<string, number>; danglingEdges: number } {
  const nodeTypes: Record<string, number> = {};
  for (const t of p.header.nodeTypes) nodeTypes[t] = 0;
  for (let i = 0; i < p.types.length; i++) nodeTypes[p.header.nodeTypes[p.types[i]!]!]! += 1;
  const edgeTypes: Record<string, number> = {};
  for (const eg of p.edges) edgeTypes[p.header.edgeTypes[eg.type]!.name] = eg.src.length;
  return { nodes: p.header.nodeCount, edges: p.header.edgeCount, nodeTypes, edgeTypes, danglingEdges: 0 };
}
