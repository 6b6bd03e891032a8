/**
 * npm run build:kg [-- --src DIR] [--out FILE] [--attribution FILE]
 * Builds public/kg/default-graph.json.gz (and public/ATTRIBUTION.md) from ../shared/kg and prints a one-line JSON summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildGraph } from './build';
import { serializeGraph } from './write';
import { summarize } from './summary';
import { renderAttributionMarkdown } from './attribution-md';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  return v ?? fallback;
}

const srcDir = resolve(arg('--src', '../shared/kg'));
const out = resolve(arg('--out', 'public/kg/default-graph.json.gz'));
const attributionOut = resolve(arg('--attribution', 'public/ATTRIBUTION.md'));
const { file, ctx } = buildGraph(srcDir);
const bytes = serializeGraph(file);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, bytes);
mkdirSync(dirname(attributionOut), { recursive: true });
writeFileSync(attributionOut, renderAttributionMarkdown());
process.stdout.write(`${JSON.stringify({ out, bytes: bytes.length, ...summarize(file), rejectedEdges: ctx.edges.rejected, merge: ctx.stats })}\n`);
