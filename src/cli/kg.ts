/**
 * `npm run kg -- stats [FILE]`: the graph's make-up as one JSON object.
 * Runs the same decoding and counting modules as the app.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decodeGraphFile } from '../graph/decode-graph-file';
import { graphFileStats } from '../graph/graph-stats';

const DEFAULT_GRAPH = resolve(import.meta.dirname, '../../public/kg/default-graph.json.gz');

const USAGE = `usage: npm run kg -- stats [GRAPHFILE]
  stats   print {"nodes","edges","nodeTypes","edgeTypes","danglingEdges"} for the default graph or GRAPHFILE`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'stats') {
    const file = rest[0] ?? DEFAULT_GRAPH;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (e) {
      console.error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return 1;
    }
    const graph = await decodeGraphFile(bytes, file);
    console.log(JSON.stringify(graphFileStats(graph)));
    return 0;
  }
  console.error(USAGE);
  return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error((e as Error).message);
    process.exit(1);
  },
);
