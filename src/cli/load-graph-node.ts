/** Loading a graph file in Node for the command-line tools: the same decode → pack → CSR path as the app. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decodeGraphFile } from '../graph/decode-graph-file';
import { sha256Hex } from '../graph/hash';
import { KnowledgeGraph } from '../graph/knowledge-graph';
import { packGraph } from '../graph/packed-graph';

export const DEFAULT_GRAPH = resolve(import.meta.dirname, '../../public/kg/default-graph.json.gz');

export async function loadGraphFile(file: string = DEFAULT_GRAPH): Promise<KnowledgeGraph> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const decoded = await decodeGraphFile(bytes, file);
  return new KnowledgeGraph(packGraph(decoded, await sha256Hex(bytes), file));
}
