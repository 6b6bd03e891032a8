/** Test support: the default graph loaded once per test file, as the CLI loads it. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeGraphFile } from '../graph/decode-graph-file';
import { KnowledgeGraph } from '../graph/knowledge-graph';
import { packGraph } from '../graph/packed-graph';

let cached: Promise<KnowledgeGraph> | null = null;

export function defaultGraph(): Promise<KnowledgeGraph> {
  const file = resolve(import.meta.dirname, '../../public/kg/default-graph.json.gz');
  cached ??= decodeGraphFile(new Uint8Array(readFileSync(file)), file).then((f) => new KnowledgeGraph(packGraph(f, 'test', file)));
  return cached;
}
