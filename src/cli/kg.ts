/**
 * `npm run kg -- stats [FILE]`: the graph's make-up as one JSON object.
 * `npm run kg -- import --format hetionet|primekg|triples FILE [--out GRAPHFILE]`: import a
 *   public KG file with the app's own importer; prints the same stats JSON.
 * `npm run kg -- synth --nodes N --edges M --out FILE [--seed S]`: a synthetic graph with
 *   the default graph's degree distribution, as triples TSV or Hetionet JSON (for benchmarks).
 * Runs the same modules as the app.
 */
import { createWriteStream, openAsBlob } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeGraphFile } from '../graph/decode-graph-file';
import { graphFileStats } from '../graph/graph-stats';
import { importGraph, packedStats } from '../graph/import/import-graph';
import { IMPORT_FORMATS, type ImportFormat } from '../graph/import/import-source';
import { synthesizeGraph, writeHetionetJson, writeTriples } from '../graph/synth/synthetic-graph';
import { unpackGraph } from '../graph/unpack-graph';

const DEFAULT_GRAPH = resolve(import.meta.dirname, '../../public/kg/default-graph.json.gz');

const USAGE = `usage: npm run kg -- stats [GRAPHFILE]
       npm run kg -- import --format hetionet|primekg|triples FILE [--out GRAPHFILE]
       npm run kg -- synth --nodes N --edges M --out FILE [--seed S]
  stats   print {"nodes","edges","nodeTypes","edgeTypes","danglingEdges"} for the default graph or GRAPHFILE
  import  read a Hetionet JSON (.json, .gz, .bz2, .xz), PrimeKG kg.csv or triples TSV/CSV; print the same
          stats; --out writes the graph in the app's format (gzip when the name ends in .gz)
  synth   write a synthetic graph shaped like the default graph: triples TSV (gzip when FILE ends in .gz),
          or Hetionet JSON when FILE ends in .json`;

function options(rest: string[]): { flags: Record<string, string>; args: string[] } {
  const flags: Record<string, string> = {};
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a.startsWith('--')) {
      const v = rest[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      flags[a.slice(2)] = v;
      i++;
    } else args.push(a);
  }
  return { flags, args };
}

class UsageError extends Error {}

async function readable(file: string): Promise<Blob> {
  try {
    await stat(file); // openAsBlob's own error does not say why
    return await openAsBlob(file);
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

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
  if (command === 'import') {
    const { flags, args } = options(rest);
    const format = flags.format as ImportFormat | undefined;
    if (!format || !IMPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
    if (args.length !== 1) throw new UsageError('import takes one FILE');
    const file = args[0]!;
    const packed = await importGraph({ name: file, blob: await readable(file) }, format);
    if (flags.out) {
      const json = JSON.stringify(unpackGraph(packed));
      await writeFile(flags.out, flags.out.endsWith('.gz') ? gzipSync(json) : json);
    }
    console.log(JSON.stringify(packedStats(packed)));
    return 0;
  }
  if (command === 'synth') {
    const { flags } = options(rest);
    const nodes = Number(flags.nodes);
    const edges = Number(flags.edges);
    if (!Number.isInteger(nodes) || nodes < 10 || !Number.isInteger(edges) || edges < 1) throw new UsageError('--nodes (≥ 10) and --edges (≥ 1) must be integers');
    if (!flags.out) throw new UsageError('synth needs --out FILE');
    const template = await decodeGraphFile(new Uint8Array(await readFile(DEFAULT_GRAPH)), DEFAULT_GRAPH);
    const g = synthesizeGraph(template, { nodes, edges, seed: Number(flags.seed ?? 1) });
    if (/\.json$/.test(flags.out)) await writeHetionetJson(g, createWriteStream(flags.out));
    else await writeTriples(g, createWriteStream(flags.out), flags.out.endsWith('.gz'));
    console.log(JSON.stringify({ nodes: g.nodeCount, edges: g.src.length, out: flags.out }));
    return 0;
  }
  console.error(USAGE);
  return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error((e as Error).message);
    process.exit(1);
  },
);
