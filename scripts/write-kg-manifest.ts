/** Writes public/kg/manifest.json for the built default graph (run by `npm run build:kg`). */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { graphFileText, parseGraphJson } from '../src/graph/decode-graph-file';
import { graphFileStats } from '../src/graph/graph-stats';
import { sha256Hex } from '../src/graph/hash';
import type { GraphManifest } from '../src/graph/graph-manifest';

const file = process.argv[2] ?? 'public/kg/default-graph.json.gz';
const bytes = new Uint8Array(readFileSync(file));
const text = await graphFileText(bytes, file);
const stats = graphFileStats(parseGraphJson(text, file));
const manifest: GraphManifest = { file: basename(file), contentSha256: await sha256Hex(text), bytes: bytes.length, nodes: stats.nodes, edges: stats.edges };
writeFileSync(join(dirname(file), 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(JSON.stringify(manifest));
